import { armSubgroupInteraction, type InteractionResult } from './arm-subgroup-interaction';
import { benjaminiHochbergAdjust } from './benjamini-hochberg-adjust';
import { AnalysisInputError } from './errors';
import { holmAdjust } from './holm-adjust';
import { newcombeRiskDifference } from './newcombe-risk-difference';
import { smallSampleFlag, type SmallSampleFlag } from './small-sample-flag';
import type { EffectInterval } from './wald-risk-difference';
import { wilsonInterval, type ProportionInterval } from './wilson-interval';

export interface SubgroupArmEffectsOptions {
  /** The binary figure per patient (e.g. correct decision, progression-free), 0/1. */
  readonly outcome: readonly number[];
  /** Arm per patient; only `armA` and `armB` are used (A is the numerator). */
  readonly arm: readonly string[];
  readonly armA: string;
  readonly armB: string;
  /** Covariate name → level per patient (null = not recorded, left out of that covariate). */
  readonly covariates: Readonly<Record<string, readonly (string | null)[]>>;
  readonly minN?: number;
  readonly minEvents?: number;
  readonly confLevel?: number;
}

export interface SubgroupArmLevel {
  readonly level: string;
  readonly armA: ProportionInterval | null;
  readonly armB: ProportionInterval | null;
  /** A − B, Newcombe hybrid score (method 10): the forest plot's point and interval. */
  readonly riskDifference: EffectInterval | null;
  readonly smallSample: SmallSampleFlag;
  readonly notComputed: readonly { readonly figure: string; readonly reason: string }[];
}

export interface SubgroupArmCovariate {
  readonly covariate: string;
  readonly levels: readonly SubgroupArmLevel[];
  readonly interaction: InteractionResult | null;
  readonly interactionNotComputed: string | null;
  /** Interaction p-values adjusted across the covariates that have one (R `p.adjust`). */
  readonly pHolm: number | null;
  readonly pBenjaminiHochberg: number | null;
}

/**
 * The arm effect on a binary figure within each level of each covariate, for a forest plot: per
 * level the proportion in each arm (Wilson) and the risk difference A − B (Newcombe), a small-n
 * flag on the level's total; per covariate the arm × subgroup interaction test
 * (`armSubgroupInteraction`: Wald z for two levels, Cochran's Q for more), with Holm and
 * Benjamini–Hochberg adjustment across covariates (one family: the covariates reported).
 * A level with an empty arm lists its figures in `notComputed`; a covariate with fewer than two
 * levels having both arms gets no interaction test (`interactionNotComputed` says why).
 * Reference: Wang et al. (2007), NEJM 357:2189–2194 (reporting subgroup analyses: interaction
 * tests, not per-subgroup p-values); the composed functions; checked against R (glm, p.adjust)
 * by analysis/fixtures/generate-summaries.R.
 * Throws `LENGTH_MISMATCH`, `NOT_BINARY`, `EMPTY_INPUT` (no patients or no covariates).
 *
 * @example
 * subgroupArmEffects({ outcome: [1, 0, 1, 1], arm: ['ai', 'ctl', 'ai', 'ctl'], armA: 'ai', armB: 'ctl',
 *   covariates: { sex: ['F', 'F', 'M', 'M'] } })[0]?.levels[0]?.riskDifference?.estimate; // → 1
 */
export function subgroupArmEffects(options: SubgroupArmEffectsOptions): readonly SubgroupArmCovariate[] {
  const { outcome, arm, armA, armB, covariates } = options;
  const n = outcome.length;
  if (n === 0) throw new AnalysisInputError('EMPTY_INPUT', 'no patients');
  if (arm.length !== n) throw new AnalysisInputError('LENGTH_MISMATCH', `arm has ${arm.length} entries, outcome ${n}`);
  outcome.forEach((y, i) => {
    if (y !== 0 && y !== 1) throw new AnalysisInputError('NOT_BINARY', `outcome[${i}] = ${String(y)} is not 0 or 1`);
  });
  const names = Object.keys(covariates);
  if (names.length === 0) throw new AnalysisInputError('EMPTY_INPUT', 'no covariates');
  const confLevel = options.confLevel ?? 0.95;

  const partial = names.map((covariate) => {
    const levels = covariates[covariate] ?? [];
    if (levels.length !== n) throw new AnalysisInputError('LENGTH_MISMATCH', `covariate '${covariate}' has ${levels.length} entries, outcome ${n}`);
    const cells = new Map<string, { eventsA: number; nA: number; eventsB: number; nB: number }>();
    levels.forEach((level, i) => {
      if (level === null || (arm[i] !== armA && arm[i] !== armB)) return;
      const c = cells.get(level) ?? { eventsA: 0, nA: 0, eventsB: 0, nB: 0 };
      if (arm[i] === armA) {
        c.nA++;
        c.eventsA += outcome[i] as number;
      } else {
        c.nB++;
        c.eventsB += outcome[i] as number;
      }
      cells.set(level, c);
    });
    const sorted = [...cells.keys()].sort();
    const rows = sorted.map((level): SubgroupArmLevel => {
      const c = cells.get(level)!;
      const notComputed: { figure: string; reason: string }[] = [];
      const tryIt = <T>(figure: string, f: () => T): T | null => {
        try {
          return f();
        } catch (error) {
          if (!(error instanceof AnalysisInputError)) throw error;
          notComputed.push({ figure, reason: `${error.code}: ${error.message}` });
          return null;
        }
      };
      return {
        level,
        armA: tryIt(`proportion ${armA}`, () => wilsonInterval(c.eventsA, c.nA, confLevel)),
        armB: tryIt(`proportion ${armB}`, () => wilsonInterval(c.eventsB, c.nB, confLevel)),
        riskDifference: tryIt('risk difference', () => newcombeRiskDifference(c, confLevel)),
        smallSample: smallSampleFlag({ n: c.nA + c.nB, events: c.eventsA + c.eventsB }, { minN: options.minN, minEvents: options.minEvents }),
        notComputed,
      };
    });
    const testable = sorted.filter((level) => {
      const c = cells.get(level)!;
      return c.nA > 0 && c.nB > 0;
    });
    let interaction: InteractionResult | null = null;
    let interactionNotComputed: string | null = null;
    if (testable.length < 2) interactionNotComputed = `fewer than two levels with patients in both arms (${testable.length})`;
    else interaction = armSubgroupInteraction(testable.map((level) => ({ name: level, ...cells.get(level)! })));
    return { covariate, levels: rows, interaction, interactionNotComputed };
  });
  const tested = partial.filter((c) => c.interaction !== null);
  const ps = tested.map((c) => c.interaction!.pValue);
  const holm = ps.length > 0 ? holmAdjust(ps) : [];
  const bh = ps.length > 0 ? benjaminiHochbergAdjust(ps) : [];
  return partial.map((c) => {
    const k = tested.indexOf(c);
    return { ...c, pHolm: k >= 0 ? (holm[k] ?? null) : null, pBenjaminiHochberg: k >= 0 ? (bh[k] ?? null) : null };
  });
}
