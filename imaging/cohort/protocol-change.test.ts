import { describe, expect, it } from 'vitest';
import { generateSubject } from './generate-subject';
import { sites } from './sites';

describe('a site protocol change mid-trial', () => {
  it("acquires FLAIR and T2 with site-b's changed slices and keeps the subject's anatomy, covariates and other sequences", async () => {
    const before = await generateSubject({ seed: 'protocol-change', index: 3, site: 'site-b', size: 'tiny' });
    const after = await generateSubject({ seed: 'protocol-change', index: 3, site: 'site-b', size: 'tiny', protocol: 'changed' });
    const scale = 4; // tiny: acquisition spacings × 4 mm
    expect(before.record.sequences.flair.spacing[2]).toBeCloseTo(sites['site-b'].acquisition.flair.spacing[2] * scale, 6);
    expect(after.record.sequences.flair.spacing[2]).toBeCloseTo(5 * scale, 6);
    expect(after.record.sequences.t2.spacing[2]).toBeCloseTo(5 * scale, 6);
    expect(after.record.sequences.t1gd.spacing).toEqual(before.record.sequences.t1gd.spacing);
    expect(after.record.covariates).toEqual(before.record.covariates);
    expect(after.record.protocolChange).toMatch(/5 mm/);
    expect(before.record.protocolChange).toBeUndefined();
    expect(after.images.flair.dims[2]).toBeLessThan(before.images.flair.dims[2]);
  }, 60_000);

  it('refuses a protocol change a site does not have', async () => {
    await expect(generateSubject({ seed: 'protocol-change', index: 0, site: 'site-x', size: 'tiny', protocol: 'changed' })).rejects.toThrow(/no protocol change/);
  });
});
