import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRandomizationParameters } from './parse-randomization-parameters';
import { buildStratumKey, parseStratumKey } from './stratum-key';
import { covariatesFor, designArbitrary, factorsFor, rawEnrollmentsArbitrary } from '@/test/support/randomization';

const params = parseRandomizationParameters({
  method: 'permuted_blocks',
  factors: [
    { name: 'sex', levels: ['F', 'M'] },
    { name: 'age_band', levels: ['<50', '50-64', '>=65'] },
  ],
});

describe('buildStratumKey', () => {
  it('puts the site first, then factors sorted by name', () => {
    expect(buildStratumKey({ params, covariates: { site: 'site-a', levels: { sex: 'F', age_band: '<50' } } })).toBe('site=site-a|age_band=<50|sex=F');
  });

  it('is site alone when the trial has no other factor', () => {
    const siteOnly = parseRandomizationParameters({ method: 'permuted_blocks' });
    expect(buildStratumKey({ params: siteOnly, covariates: { site: 'site-b', levels: {} } })).toBe('site=site-b');
  });

  it('names the missing factor and the levels it expects (STRATUM_FACTOR_MISSING)', () => {
    expect(() => buildStratumKey({ params, covariates: { site: 'site-a', levels: { sex: 'F' } } })).toThrow(
      expect.objectContaining({
        code: 'STRATUM_FACTOR_MISSING',
        message: "stratification factor 'age_band' is missing; expected one of '<50', '50-64', '>=65'",
      }),
    );
    expect(() => buildStratumKey({ params, covariates: { site: '', levels: { sex: 'F', age_band: '<50' } } })).toThrow(
      expect.objectContaining({ code: 'STRATUM_FACTOR_MISSING', details: { factor: 'site' } }),
    );
  });

  it('names the factor and the unknown value (UNKNOWN_LEVEL)', () => {
    expect(() => buildStratumKey({ params, covariates: { site: 'site-a', levels: { sex: 'X', age_band: '<50' } } })).toThrow(
      expect.objectContaining({
        code: 'UNKNOWN_LEVEL',
        message: "factor 'sex' has no level 'X'; expected one of 'F', 'M'",
        details: { factor: 'sex', value: 'X' },
      }),
    );
  });

  it('refuses covariates that are not stratification factors (UNKNOWN_FACTOR) and "|" in a site', () => {
    expect(() => buildStratumKey({ params, covariates: { site: 'a', levels: { sex: 'F', age_band: '<50', scanner: 'GE' } } })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_FACTOR', message: expect.stringMatching(/'scanner'/) }),
    );
    expect(() => buildStratumKey({ params, covariates: { site: 'a|b', levels: { sex: 'F', age_band: '<50' } } })).toThrow(expect.objectContaining({ code: 'INVALID_NAME' }));
  });
});

describe('parseStratumKey', () => {
  it('inverts buildStratumKey for every valid enrollment (levels may contain "=")', () => {
    fc.assert(
      fc.property(designArbitrary, rawEnrollmentsArbitrary(20), (design, raw) => {
        const p = parseRandomizationParameters({ method: 'permuted_blocks', factors: factorsFor(design) });
        for (const covariates of covariatesFor(p, raw)) {
          const stratumKey = buildStratumKey({ params: p, covariates });
          expect(parseStratumKey({ params: p, stratumKey })).toEqual(covariates);
        }
      }),
    );
    const key = 'site=site-a|age_band=>=65|sex=M';
    expect(parseStratumKey({ params, stratumKey: key })).toEqual({ site: 'site-a', levels: { age_band: '>=65', sex: 'M' } });
  });

  it.each([
    ['wrong factor order', 'site=site-a|sex=F|age_band=<50', /not canonical; expected 'site=site-a\|age_band=<50\|sex=F'/],
    ['no site', 'age_band=<50|sex=F', /malformed/],
    ['no "="', 'site=site-a|sex', /malformed/],
    ['factor twice', 'site=site-a|sex=F|sex=F', /names factor 'sex' twice/],
  ])('refuses a key with %s (INVALID_STRATUM_KEY)', (_name, stratumKey, message) => {
    expect(() => parseStratumKey({ params, stratumKey })).toThrow(expect.objectContaining({ code: 'INVALID_STRATUM_KEY', message: expect.stringMatching(message) }));
  });

  it('refuses a key with an undefined level (UNKNOWN_LEVEL)', () => {
    expect(() => parseStratumKey({ params, stratumKey: 'site=a|age_band=<50|sex=X' })).toThrow(expect.objectContaining({ code: 'UNKNOWN_LEVEL' }));
  });
});
