import { z } from 'zod';
import type { RandomizationErrorCode } from './randomization-error';

/**
 * Randomization parameters: one schema shared by the API (input validation), the DB (the jsonb
 * column stores the parsed output) and the engine. Parsing is idempotent: the output is a valid
 * input that parses to itself, and it is what the commitment hash covers.
 *
 * Input shape (what a coordinator configures):
 *   { method: 'permuted_blocks' | 'minimization',
 *     arms?: [{ key, label, ratio? }],             default AI-assisted : control = 1 : 1
 *     factors?: [{ name, levels: [...] }],         default none (site only)
 *     blockSizes?: number[],                       permuted blocks only; default [S, 2S, 3S]
 *     minimization?: { p?, imbalance?, weights? }  minimization only; default p 0.8, 'range' }
 * where S is the sum of the arms' ratios.
 *
 * The site is always a stratification factor; it is not listed in `factors` (the name 'site' is
 * reserved) because sites join a trial over time and are not part of the committed parameters.
 * Arm order matters: it is the order in which a block's arms are laid out before shuffling.
 */

/** The implicit factor every trial stratifies by. Its levels are the site identifiers. */
export const SITE_FACTOR = 'site';

export const DEFAULT_ARMS = [
  { key: 'ai_assisted', label: 'AI-assisted', ratio: 1 },
  { key: 'control', label: 'Control', ratio: 1 },
] as const;

export const DEFAULT_MINIMIZATION_P = 0.8;

/**
 * Characters that would make the canonical stratum key ambiguous: '|' separates factors, and the
 * first '=' separates a factor name from its level (so levels such as '>=65' may contain '=').
 */
const RESERVED_IN_NAMES = /[|=]/;
const RESERVED_IN_LEVELS = /[|]/;

export const armSchema = z.strictObject({
  /** Stable identifier stored with each allocation, e.g. 'ai_assisted'. */
  key: z.string().min(1).max(64),
  label: z.string().min(1).max(200),
  /** Allocation ratio weight: a positive integer (2 in a 2:1 design). */
  ratio: z.number().int().positive().max(1000).default(1),
});

export const stratificationFactorSchema = z.strictObject({
  /** e.g. 'age_band', 'sex', 'tumor_location', 'field_strength'. */
  name: z.string().min(1).max(64),
  /** The categorical levels, e.g. ['<50', '50-64', '>=65']. */
  levels: z.array(z.string().min(1).max(100)).min(1).max(100),
});

export const minimizationSettingsSchema = z.strictObject({
  /** Probability of assigning the arm that minimizes imbalance (Pocock–Simon's random element). */
  p: z.number().min(0).max(1).default(DEFAULT_MINIMIZATION_P),
  /** How the imbalance of one factor level across arms is measured (on counts / ratio). */
  imbalance: z.enum(['range', 'variance']).default('range'),
  /** Factor weights by factor name ('site' included); a factor not listed weighs 1. */
  weights: z.record(z.string(), z.number().nonnegative().finite()).optional(),
});

const rawParametersSchema = z.strictObject({
  method: z.enum(['permuted_blocks', 'minimization']),
  arms: z
    .array(armSchema)
    .min(2)
    .max(16)
    .default(() => DEFAULT_ARMS.map((arm) => ({ ...arm }))),
  factors: z.array(stratificationFactorSchema).max(20).default([]),
  blockSizes: z.array(z.number().int().positive().max(10_000)).min(1).max(20).optional(),
  minimization: minimizationSettingsSchema.optional(),
});

type RawParameters = z.output<typeof rawParametersSchema>;

type IssueSink = (code: RandomizationErrorCode, message: string, path: (string | number)[]) => void;

function checkName(what: string, value: string, path: (string | number)[], report: IssueSink): void {
  if (RESERVED_IN_NAMES.test(value) || value.trim() !== value) {
    report('INVALID_NAME', `${what} '${value}' must not contain '|' or '=' nor leading/trailing spaces`, path);
  }
}

function checkLevel(what: string, value: string, path: (string | number)[], report: IssueSink): void {
  if (RESERVED_IN_LEVELS.test(value) || value.trim() !== value) {
    report('INVALID_NAME', `${what} '${value}' must not contain '|' nor leading/trailing spaces`, path);
  }
}

/** Rules that span fields; each issue carries the RandomizationErrorCode it maps to. */
function checkParameters(params: RawParameters, report: IssueSink): void {
  const ratioSum = params.arms.reduce((sum, arm) => sum + arm.ratio, 0);

  const armKeys = new Set<string>();
  params.arms.forEach((arm, i) => {
    checkName('arm key', arm.key, ['arms', i, 'key'], report);
    if (armKeys.has(arm.key)) report('INVALID_ARMS', `arm key '${arm.key}' is used twice`, ['arms', i, 'key']);
    armKeys.add(arm.key);
  });

  const factorNames = new Set<string>();
  params.factors.forEach((factor, i) => {
    checkName('factor name', factor.name, ['factors', i, 'name'], report);
    if (factor.name === SITE_FACTOR) {
      report('INVALID_FACTOR', `factor name '${SITE_FACTOR}' is reserved: the site is always a stratification factor`, ['factors', i, 'name']);
    }
    if (factorNames.has(factor.name)) {
      report('INVALID_FACTOR', `factor '${factor.name}' is defined twice`, ['factors', i, 'name']);
    }
    factorNames.add(factor.name);
    const levels = new Set<string>();
    factor.levels.forEach((level, j) => {
      checkLevel(`level of factor '${factor.name}'`, level, ['factors', i, 'levels', j], report);
      if (levels.has(level)) {
        report('INVALID_FACTOR', `factor '${factor.name}' lists level '${level}' twice`, ['factors', i, 'levels', j]);
      }
      levels.add(level);
    });
  });

  if (params.method === 'permuted_blocks') {
    if (params.minimization !== undefined) {
      report('METHOD_SETTINGS_MISMATCH', `'minimization' settings given but method is 'permuted_blocks'`, ['minimization']);
    }
    const seen = new Set<number>();
    (params.blockSizes ?? []).forEach((size, i) => {
      if (size % ratioSum !== 0) {
        report(
          'INVALID_BLOCK_SIZES',
          `block size ${size} is not a multiple of the ratio sum ${ratioSum} (${params.arms.map((a) => a.ratio).join(':')}); expected one of ${ratioSum}, ${2 * ratioSum}, ${3 * ratioSum}, …`,
          ['blockSizes', i],
        );
      }
      if (seen.has(size)) report('INVALID_BLOCK_SIZES', `block size ${size} is listed twice`, ['blockSizes', i]);
      seen.add(size);
    });
  } else {
    if (params.blockSizes !== undefined) {
      report('METHOD_SETTINGS_MISMATCH', `'blockSizes' given but method is 'minimization'`, ['blockSizes']);
    }
    const weights = params.minimization?.weights;
    if (weights !== undefined) {
      for (const name of Object.keys(weights)) {
        if (name !== SITE_FACTOR && !factorNames.has(name)) {
          report('INVALID_MINIMIZATION', `weight given for '${name}', which is not a factor; expected '${SITE_FACTOR}' or one of ${[...factorNames].map((n) => `'${n}'`).join(', ')}`, [
            'minimization',
            'weights',
            name,
          ]);
        }
      }
      const factorWeights = [SITE_FACTOR, ...factorNames].map((name) => weights[name] ?? 1);
      if (factorWeights.every((w) => w === 0)) {
        report('INVALID_MINIMIZATION', 'all factor weights are 0: minimization would have nothing to balance', ['minimization', 'weights']);
      }
    }
  }
}

export type Arm = z.output<typeof armSchema>;
export type StratificationFactor = z.output<typeof stratificationFactorSchema>;
export type MinimizationSettings = z.output<typeof minimizationSettingsSchema>;

interface CommonParameters {
  readonly arms: readonly Arm[];
  readonly factors: readonly StratificationFactor[];
}

export interface PermutedBlocksParameters extends CommonParameters {
  readonly method: 'permuted_blocks';
  /** Each a positive multiple of the ratio sum; one is drawn at random per block. */
  readonly blockSizes: readonly number[];
}

export interface MinimizationParameters extends CommonParameters {
  readonly method: 'minimization';
  readonly minimization: MinimizationSettings;
}

/** Parsed, validated parameters with every default filled in. */
export type RandomizationParameters = PermutedBlocksParameters | MinimizationParameters;

/** What a client may send (defaults not yet applied). */
export type RandomizationParametersInput = z.input<typeof rawParametersSchema>;

export const randomizationParametersSchema = rawParametersSchema
  .superRefine((params, ctx) => {
    checkParameters(params, (code, message, path) => ctx.addIssue({ code: 'custom', message, path, params: { randomizationCode: code } }));
  })
  .transform((params): RandomizationParameters => {
    const { method, arms, factors } = params;
    if (method === 'permuted_blocks') {
      const ratioSum = arms.reduce((sum, arm) => sum + arm.ratio, 0);
      return { method, arms, factors, blockSizes: params.blockSizes ?? [ratioSum, 2 * ratioSum, 3 * ratioSum] };
    }
    return {
      method,
      arms,
      factors,
      minimization: params.minimization ?? { p: DEFAULT_MINIMIZATION_P, imbalance: 'range' },
    };
  });
