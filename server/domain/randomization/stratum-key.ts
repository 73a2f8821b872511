import { validateCovariates, type EnrollmentCovariates } from './covariates';
import { SITE_FACTOR, type RandomizationParameters } from './parameters';
import { RandomizationError } from './randomization-error';

export interface BuildStratumKeyOptions {
  readonly params: RandomizationParameters;
  readonly covariates: EnrollmentCovariates;
}

/**
 * The canonical key of an enrollment's stratum: `site=<site>` then `|<factor>=<level>` for each
 * stratification factor in name order (UTF-16 code unit order). Factor names cannot contain '|'
 * or '=', levels and sites cannot contain '|', so the key is unambiguous. It is also the name of the stratum's random stream.
 *
 * @example buildStratumKey({ params, covariates: { site: 'site-a', levels: { sex: 'F', age_band: '<50' } } })
 *   // 'site=site-a|age_band=<50|sex=F'
 */
export function buildStratumKey({ params, covariates }: BuildStratumKeyOptions): string {
  return validateCovariates({ params, covariates })
    .map(([name, level]) => `${name}=${level}`)
    .join('|');
}

export interface ParseStratumKeyOptions {
  readonly params: RandomizationParameters;
  readonly stratumKey: string;
}

/**
 * The covariates a canonical stratum key stands for. Throws INVALID_STRATUM_KEY when the key is
 * malformed or not canonical (factor order, missing or extra factors), and the covariate errors of
 * validateCovariates (e.g. UNKNOWN_LEVEL) when a level is not defined.
 */
export function parseStratumKey({ params, stratumKey }: ParseStratumKeyOptions): EnrollmentCovariates {
  // Names cannot contain '=' but levels may ('>=65'): split each part at its first '='.
  const parts = stratumKey.split('|').map((part) => {
    const at = part.indexOf('=');
    return at < 0 ? [part] : [part.slice(0, at), part.slice(at + 1)];
  });
  const [first, ...rest] = parts;
  if (!first || first.length !== 2 || first[0] !== SITE_FACTOR || parts.some((p) => p.length !== 2)) {
    throw new RandomizationError('INVALID_STRATUM_KEY', `stratum key '${stratumKey}' is malformed; expected 'site=<site>|<factor>=<level>|…'`, { stratumKey });
  }
  const levels: Record<string, string> = {};
  for (const [name = '', level = ''] of rest) {
    if (Object.hasOwn(levels, name)) {
      throw new RandomizationError('INVALID_STRATUM_KEY', `stratum key '${stratumKey}' names factor '${name}' twice`, {
        stratumKey,
      });
    }
    levels[name] = level;
  }
  const covariates: EnrollmentCovariates = { site: first[1] ?? '', levels };
  const canonical = buildStratumKey({ params, covariates });
  if (canonical !== stratumKey) {
    throw new RandomizationError('INVALID_STRATUM_KEY', `stratum key '${stratumKey}' is not canonical; expected '${canonical}'`, { stratumKey, expected: canonical });
  }
  return covariates;
}
