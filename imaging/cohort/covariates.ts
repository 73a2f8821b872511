/**
 * Patient covariates and the reference outcome.
 *
 * Covariates: age ~ Normal(site mean, site sd) truncated to the site range; sex ~ Bernoulli(site
 * male fraction); scanner (vendor, field strength) drawn from the site's weighted list.
 *
 * Outcome model (documented in docs/cohort.md): a subject with a tumour is high-grade with
 * probability logistic(η + ε), where the linear predictor uses what the images show,
 *   η = β0 + β_enh·(enhancing fraction of the tumour core) + β_nec·(necrotic fraction of the core)
 *       + β_vol·log2(core volume / 10 mL) + β_age·(age − 60)/10,
 * and ε ~ Normal(0, σ_ε) stands for biology the images do not show. A subject without a tumour is
 * not high-grade. The manifest records η, the probability logistic(η + ε) and the drawn outcome.
 */
import type { Rng } from '../random';
import type { SiteParameters, Vendor } from './sites';

export interface Covariates {
  age: number;
  sex: 'F' | 'M';
  vendor: Vendor;
  fieldStrengthT: 1.5 | 3;
}

export function drawCovariates(rng: Rng, site: SiteParameters): Covariates {
  const { mean, sd, min, max } = site.age;
  const age = Math.round(rng.truncatedNormal(mean, sd, min, max));
  const sex = rng.bernoulli(site.maleFraction) ? 'M' : 'F';
  const weights: Record<string, number> = {};
  site.scanners.forEach((s, i) => (weights[String(i)] = s.weight));
  const scanner = site.scanners[Number(rng.weighted(weights))]!;
  return { age, sex, vendor: scanner.vendor, fieldStrengthT: scanner.fieldStrengthT };
}

export const outcomeModel = {
  intercept: -2.2,
  enhancingFraction: 3.0,
  necroticFraction: 2.5,
  log2CoreVolumePer10mL: 0.5,
  agePerDecadeFrom60: 0.35,
  unexplainedSd: 0.6,
} as const;

export interface TumorFeatures {
  /** mL of each label on the reference grid. */
  edemaMl: number;
  nonEnhancingMl: number;
  enhancingMl: number;
  /** Necrotic part of the non-enhancing label (mL): not a label of its own in the MSD convention. */
  necroticMl: number;
}

export interface Outcome {
  highGrade: boolean;
  linearPredictor: number | null;
  probability: number;
  enhancingFraction: number;
  necroticFraction: number;
  coreVolumeMl: number;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

export function drawOutcome(rng: Rng, age: number, f: TumorFeatures | null): Outcome {
  const eps = rng.normal() * outcomeModel.unexplainedSd;
  const u = rng.next();
  if (!f) return { highGrade: false, linearPredictor: null, probability: 0, enhancingFraction: 0, necroticFraction: 0, coreVolumeMl: 0 };
  const core = f.nonEnhancingMl + f.enhancingMl;
  const enhancingFraction = core > 0 ? f.enhancingMl / core : 0;
  const necroticFraction = core > 0 ? f.necroticMl / core : 0;
  const m = outcomeModel;
  const eta =
    m.intercept +
    m.enhancingFraction * enhancingFraction +
    m.necroticFraction * necroticFraction +
    m.log2CoreVolumePer10mL * Math.log2(Math.max(core, 0.1) / 10) +
    (m.agePerDecadeFrom60 * (age - 60)) / 10;
  const probability = logistic(eta + eps);
  return { highGrade: u < probability, linearPredictor: eta, probability, enhancingFraction, necroticFraction, coreVolumeMl: core };
}
