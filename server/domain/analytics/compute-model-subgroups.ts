import { subgroupModelPerformance } from '@/analysis/subgroup-model-performance';
import { section } from './analytics-section';
import { covariateLevels } from './covariate-levels';
import { modelScoredRows } from './model-scored-rows';
import type { SectionContext } from './section-context';

/** The model's performance per subgroup of each covariate, with disparity and blind-spot flags (bias). */
export function computeModelSubgroups({ dataset: { rows, factors }, settings }: SectionContext) {
  const scored = modelScoredRows(rows);
  const outcome = scored.map((r) => (r.referenceHighGrade ? 1 : 0));
  const risk = scored.map((r) => r.modelRisk as number);
  return Object.entries(covariateLevels(scored, factors)).map(([covariate, levels]) => ({
    covariate,
    result: section(() =>
      subgroupModelPerformance({
        outcome,
        risk,
        levels,
        threshold: settings.operatingThreshold,
        reference: covariate === 'development_site' && levels.includes('internal') ? 'internal' : undefined,
        sensitivityFloor: settings.sensitivityFloor,
        disparityTolerance: settings.disparityTolerance,
        minN: settings.minN,
      }),
    ),
  }));
}
