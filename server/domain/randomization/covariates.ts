import { SITE_FACTOR, type RandomizationParameters } from './parameters';
import { RandomizationError } from './randomization-error';

/** The covariates randomization looks at: the site and one level per stratification factor. */
export interface EnrollmentCovariates {
  readonly site: string;
  /** Factor name → level, e.g. { age_band: '<50', sex: 'F' }. Exactly the trial's factors. */
  readonly levels: Readonly<Record<string, string>>;
}

export interface ValidateCovariatesOptions {
  readonly params: RandomizationParameters;
  readonly covariates: EnrollmentCovariates;
}

/**
 * Checks an enrollment's covariates against the parameters and returns the (factor, level) pairs
 * the engine uses, site first, then factors sorted by name (UTF-16 code unit order).
 *
 * Throws RandomizationError: STRATUM_FACTOR_MISSING (no site / no level for a factor), UNKNOWN_LEVEL
 * (a level the factor does not define), UNKNOWN_FACTOR (a level for a factor the trial does not
 * stratify by: pass only stratification factors), INVALID_NAME (a site containing '|').
 */
export function validateCovariates({ params, covariates }: ValidateCovariatesOptions): [string, string][] {
  const { site, levels } = covariates;
  if (typeof site !== 'string' || site === '') {
    throw new RandomizationError('STRATUM_FACTOR_MISSING', `factor '${SITE_FACTOR}' is missing: every enrollment needs a site`, {
      factor: SITE_FACTOR,
    });
  }
  if (site.includes('|') || site.trim() !== site) {
    throw new RandomizationError('INVALID_NAME', `site '${site}' must not contain '|' nor leading/trailing spaces`, { factor: SITE_FACTOR, value: site });
  }
  const known = new Map(params.factors.map((factor) => [factor.name, factor.levels] as const));
  for (const name of Object.keys(levels)) {
    if (!known.has(name)) {
      throw new RandomizationError(
        'UNKNOWN_FACTOR',
        `'${name}' is not a stratification factor of this trial; expected only ${[...known.keys()].map((n) => `'${n}'`).join(', ') || 'no factors besides the site'}`,
        { factor: name },
      );
    }
  }
  const pairs: [string, string][] = [[SITE_FACTOR, site]];
  const names = [...known.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const allowed = known.get(name) ?? [];
    const value = Object.hasOwn(levels, name) ? levels[name] : undefined;
    if (value === undefined || value === '') {
      throw new RandomizationError('STRATUM_FACTOR_MISSING', `stratification factor '${name}' is missing; expected one of ${allowed.map((l) => `'${l}'`).join(', ')}`, { factor: name });
    }
    if (!allowed.includes(value)) {
      throw new RandomizationError('UNKNOWN_LEVEL', `factor '${name}' has no level '${value}'; expected one of ${allowed.map((l) => `'${l}'`).join(', ')}`, { factor: name, value });
    }
    pairs.push([name, value]);
  }
  return pairs;
}
