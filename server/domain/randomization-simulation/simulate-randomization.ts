import { createHash } from 'node:crypto';
import { Rng } from '@/imaging/random';
import { allocateByMinimization } from '../randomization/allocate-by-minimization';
import { generateBlockAllocations, type BlockAllocation } from '../randomization/block-allocations';
import type { EnrollmentCovariates } from '../randomization/covariates';
import { addToMarginalCounts, type MarginalCounts } from '../randomization/marginal-counts';
import type { RandomizationParameters } from '../randomization/parameters';
import { buildStratumKey } from '../randomization/stratum-key';

export interface RandomizationSimulationInput {
  readonly params: RandomizationParameters;
  /** Participants per simulated trial (the target sample size). */
  readonly participants: number;
  /** Site codes; each participant's site is drawn uniformly, as is each factor level. */
  readonly sites: readonly string[];
  readonly replicates: number;
  /** Names the simulation's random streams (covariates and seeds), so a run can be repeated exactly. */
  readonly seed: string;
}

export interface DistributionSummary {
  readonly mean: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

function summarize(values: readonly number[]): DistributionSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { mean: values.reduce((s, v) => s + v, 0) / values.length, median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] as number };
}

/** Largest deviation of an arm's count from its share of the total: |n_a − N·r_a/S|, maximised over arms. */
function imbalance(counts: ReadonlyMap<string, number>, params: RandomizationParameters): number {
  const total = [...counts.values()].reduce((s, n) => s + n, 0);
  const ratioSum = params.arms.reduce((s, a) => s + a.ratio, 0);
  return Math.max(...params.arms.map((a) => Math.abs((counts.get(a.key) ?? 0) - (total * a.ratio) / ratioSum)));
}

/** Credit of the convergence-strategy guess: the arm furthest below its share in the stratum so far; ties share the credit. */
function guessCredit(counts: ReadonlyMap<string, number>, params: RandomizationParameters, actual: string): number {
  const deficit = params.arms.map((a) => ({ key: a.key, load: (counts.get(a.key) ?? 0) / a.ratio }));
  const least = Math.min(...deficit.map((d) => d.load));
  const tied = deficit.filter((d) => d.load === least);
  return tied.some((d) => d.key === actual) ? 1 / tied.length : 0;
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/**
 * Monte Carlo of a trial's randomization at its target size, through the platform's own allocation
 * engine (stratified permuted blocks or minimization, as configured), before go-live:
 * - imbalance |n_a − N·r_a/S| at the end, overall, the largest per site and the largest per stratum,
 *   as distributions over the replicates;
 * - predictability: the probability that an investigator who knows every earlier allocation of the
 *   participant's stratum guesses the next one right under the convergence strategy (guess the arm
 *   furthest below its share; ties guessed at random), Blackwell & Hodges (1957) — randomizeR's
 *   `corGuess`; and the expected excess of correct guesses over chance per participant (the
 *   Blackwell–Hodges selection-bias factor).
 * Each replicate draws fresh seeds and covariates (site and factor levels uniform). Pure; about
 * 2·10⁴ allocations a second on one core (240 participants × 200 replicates in about 2 s).
 * Reference: D. Blackwell & J. L. Hodges (1957), Ann Math Stat 28:449–460; D. Uschner et al. (2018),
 * J Stat Softw 85(8) (randomizeR).
 */
export function simulateRandomization(input: RandomizationSimulationInput) {
  const { params } = input;
  const overall: number[] = [];
  const perSite: number[] = [];
  const perStratum: number[] = [];
  const correct: number[] = [];
  for (let r = 0; r < input.replicates; r++) {
    const rng = new Rng(`${input.seed}/covariates/${r}`);
    const seed = createHash('sha256').update(`${input.seed}/seed/${r}`).digest();
    const armCounts = new Map<string, number>();
    const siteCounts = new Map<string, Map<string, number>>();
    const stratumCounts = new Map<string, Map<string, number>>();
    const streams = new Map<string, Generator<BlockAllocation, never, undefined>>();
    let marginal: MarginalCounts = {};
    let credit = 0;
    for (let i = 0; i < input.participants; i++) {
      const site = input.sites[Math.floor(rng.next() * input.sites.length)] as string;
      const levels = Object.fromEntries(params.factors.map((f) => [f.name, f.levels[Math.floor(rng.next() * f.levels.length)] as string]));
      const covariates: EnrollmentCovariates = { site, levels };
      const stratumKey = buildStratumKey({ params, covariates });
      let arm: string;
      if (params.method === 'permuted_blocks') {
        let stream = streams.get(stratumKey);
        if (!stream) streams.set(stratumKey, (stream = generateBlockAllocations({ seed, params, stratumKey })));
        arm = stream.next().value.arm;
      } else {
        arm = allocateByMinimization({ seed, params, sequenceIndex: i, covariates, marginalCounts: marginal }).arm;
        marginal = addToMarginalCounts({ counts: marginal, covariates, arm });
      }
      const stratum = stratumCounts.get(stratumKey) ?? new Map<string, number>();
      credit += guessCredit(stratum, params, arm);
      bump(stratum, arm);
      stratumCounts.set(stratumKey, stratum);
      const bySite = siteCounts.get(site) ?? new Map<string, number>();
      bump(bySite, arm);
      siteCounts.set(site, bySite);
      bump(armCounts, arm);
    }
    overall.push(imbalance(armCounts, params));
    perSite.push(Math.max(...[...siteCounts.values()].map((c) => imbalance(c, params))));
    perStratum.push(Math.max(...[...stratumCounts.values()].map((c) => imbalance(c, params))));
    correct.push(credit / input.participants);
  }
  const p = correct.reduce((s, v) => s + v, 0) / correct.length;
  const sd = Math.sqrt(correct.reduce((s, v) => s + (v - p) ** 2, 0) / Math.max(1, correct.length - 1));
  const chance = 1 / params.arms.length;
  return {
    method: params.method,
    participants: input.participants,
    replicates: input.replicates,
    sites: input.sites.length,
    imbalance: { overall: summarize(overall), largestPerSite: summarize(perSite), largestPerStratum: summarize(perStratum) },
    correctGuessProbability: { estimate: p, standardError: sd / Math.sqrt(correct.length) },
    /** Expected correct guesses beyond chance, per participant (Blackwell–Hodges' selection-bias factor / n). */
    excessCorrectGuesses: p - chance,
  };
}

export type RandomizationSimulation = ReturnType<typeof simulateRandomization>;
