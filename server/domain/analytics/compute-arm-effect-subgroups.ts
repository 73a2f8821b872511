import { subgroupArmEffects } from '@/analysis/subgroup-arm-effects';
import { need, section } from './analytics-section';
import { ARM_OUTCOMES } from './arm-outcomes';
import { covariateLevels } from './covariate-levels';
import type { SectionContext } from './section-context';

const pick = <T>(rows: readonly T[], keep: readonly boolean[]) => rows.filter((_, i) => keep[i]);

/** Arm effect per subgroup (forest plots) with interaction tests, for the primary outcome and reader accuracy. */
export function computeArmEffectSubgroups({ dataset: { rows, factors }, settings, armA, armB }: SectionContext) {
  const covariates = covariateLevels(rows, factors);
  return ARM_OUTCOMES.slice(0, 2).map((o) => {
    const values = rows.map(o.value);
    const keep = values.map((v) => v !== null && v !== undefined);
    const kept = pick(rows, keep);
    return {
      outcome: o.key,
      label: o.label,
      result: section(() => {
        need(kept.length > 0, `no ${o.key} recorded`);
        const cov = Object.fromEntries(Object.entries(covariates).map(([k, v]) => [k, pick(v, keep)]));
        return subgroupArmEffects({ outcome: pick(values, keep) as number[], arm: kept.map((r) => r.arm), armA, armB, covariates: cov, minN: settings.minN });
      }),
    };
  });
}
