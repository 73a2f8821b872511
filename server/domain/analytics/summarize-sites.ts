import type { SectionContext } from './section-context';

/** Per site and arm: randomized, with the primary outcome, progression-free, reference high grade, scored, segmented, read. */
export function summarizeSites({ dataset: { rows, sites, arms } }: SectionContext) {
  return sites.map((s) => {
    const at = rows.filter((r) => r.site === s.code);
    return {
      site: s.code,
      name: s.name,
      external: s.isExternal,
      arms: arms.map((arm) => {
        const list = at.filter((r) => r.arm === arm.key);
        const pf = list.filter((r) => r.progressionFree6m !== null);
        return {
          arm: arm.key,
          randomized: list.length,
          withOutcome: pf.length,
          progressionFree: pf.filter((r) => r.progressionFree6m).length,
          referenceHighGrade: list.filter((r) => r.referenceHighGrade === true).length,
          modelScored: list.filter((r) => r.modelRisk !== null).length,
          withReferenceSegmentation: list.filter((r) => r.segmentation !== null).length,
          read: list.filter((r) => r.readerCount > 0).length,
        };
      }),
    };
  });
}
