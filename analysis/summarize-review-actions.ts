import { AnalysisInputError } from './errors';
import { summarizeValues, type ValueSummary } from './summarize-values';
import { wilsonInterval, type ProportionInterval } from './wilson-interval';

export type ReviewAction = 'accepted' | 'edited' | 'rejected';

export interface ReviewActionRecord {
  /** The group this review belongs to (arm, reader, site …). */
  readonly group: string;
  /** What the reader did with the AI proposal; null when none was shown (control arm). */
  readonly action: ReviewAction | null;
  /** Time from opening the case to signing, in seconds; null when not measured. */
  readonly secondsToDecision: number | null;
  /** Dice (whole tumour) between the AI proposal and the mask the reader signed with; null when not applicable. */
  readonly diceProposalToFinal: number | null;
}

export interface ReviewActionSummary {
  readonly group: string;
  readonly n: number;
  /** Reviews in which an AI proposal was shown (accepted + edited + rejected). */
  readonly withProposal: number;
  readonly accepted: ProportionInterval | null;
  readonly edited: ProportionInterval | null;
  readonly rejected: ProportionInterval | null;
  readonly secondsToDecision: ValueSummary | null;
  readonly diceProposalToFinal: ValueSummary | null;
}

/**
 * Human–AI interaction per group: accept / edit / reject rates among reviews shown an AI proposal
 * (Wilson intervals), time to decision and Dice between the AI proposal and the final mask
 * (`summarizeValues`: mean with t CI, median, quartiles). Groups are sorted by name; figures a
 * group cannot support are null (no proposals shown: no rates; no timings: no time summary).
 * Reference: Wilson (1927); the composed functions. Checked against R (prop.test, t.test,
 * quantile) by analysis/fixtures/generate-summaries.R.
 * Throws `EMPTY_INPUT` for no records.
 *
 * @example
 * summarizeReviewActions([{ group: 'ai', action: 'accepted', secondsToDecision: 60, diceProposalToFinal: 1 },
 *   { group: 'ai', action: 'edited', secondsToDecision: 120, diceProposalToFinal: 0.9 }])[0]?.accepted?.estimate; // → 0.5
 */
export function summarizeReviewActions(records: readonly ReviewActionRecord[], confLevel = 0.95): readonly ReviewActionSummary[] {
  if (records.length === 0) throw new AnalysisInputError('EMPTY_INPUT', 'no review records');
  const groups = new Map<string, ReviewActionRecord[]>();
  for (const r of records) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  return [...groups.keys()].sort().map((group) => {
    const rows = groups.get(group)!;
    const shown = rows.filter((r) => r.action !== null);
    const rate = (action: ReviewAction) => (shown.length === 0 ? null : wilsonInterval(shown.filter((r) => r.action === action).length, shown.length, confLevel));
    const times = rows.map((r) => r.secondsToDecision).filter((v): v is number => v !== null && Number.isFinite(v));
    const dice = rows.map((r) => r.diceProposalToFinal).filter((v): v is number => v !== null && Number.isFinite(v));
    return {
      group,
      n: rows.length,
      withProposal: shown.length,
      accepted: rate('accepted'),
      edited: rate('edited'),
      rejected: rate('rejected'),
      secondsToDecision: times.length > 0 ? summarizeValues(times, confLevel, { range: [0, Infinity] }) : null,
      diceProposalToFinal: dice.length > 0 ? summarizeValues(dice, confLevel, { range: [0, 1] }) : null,
    };
  });
}
