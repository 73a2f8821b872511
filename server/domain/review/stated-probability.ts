/**
 * A reader's probability of a high-grade tumour as a fraction, for analysis. The decision form asks
 * for it only where the trial's edit checks do (by default, only when a tumour is seen): a reader who
 * saw no tumour stated no high-grade tumour, so their probability is 0, derived here and nowhere else.
 * Null when a tumour was seen and no probability given (a design that does not require it).
 *
 * @example statedProbabilityHighGrade({ tumourPresent: false, probabilityHighGrade: null }) // 0
 * @example statedProbabilityHighGrade({ tumourPresent: true, probabilityHighGrade: 80 }) // 0.8
 */
export function statedProbabilityHighGrade(decision: { readonly tumourPresent: boolean; readonly probabilityHighGrade: number | null }): number | null {
  if (decision.probabilityHighGrade !== null) return decision.probabilityHighGrade / 100;
  return decision.tumourPresent ? null : 0;
}
