import { afterEach, describe, expect, it, vi } from 'vitest';
import measure from './measure';

afterEach(() => vi.restoreAllMocks());

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
  vi.spyOn(console, 'error').mockImplementation((s: string) => void lines.push(s));
  const code = await measure.run(args);
  return { code, out: lines.join('\n') };
}

describe('segtrial measure', () => {
  it('prints each enhancing lesion and the sums as JSON', async () => {
    const { code, out } = await run(['--labels', 'imaging/rano/fixtures/several-lesions.nii.gz', '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(out) as { lesions: { measurable: boolean; target: boolean; longestDiameterMm: number; productMm2: number }[]; sums: { targetLesions: number; sumProductsMm2: number } };
    expect(r.lesions.map((l) => [l.measurable, l.target])).toEqual([
      [true, true],
      [false, false],
      [false, false],
    ]);
    expect(r.lesions[0]!.longestDiameterMm).toBeCloseTo(24, 1);
    expect(r.sums).toMatchObject({ targetLesions: 1, sumProductsMm2: r.lesions[0]!.productMm2 });
  });

  it('prints a table for people', async () => {
    const { code, out } = await run(['--labels', 'imaging/rano/fixtures/ellipsoid-iso.nii.gz']);
    expect(code).toBe(0);
    expect(out).toMatch(/1 enhancing lesion\(s\)/);
    expect(out).toMatch(/sum of products \(1 target lesion\(s\)\)/);
  });

  it('exits 1 with the typed error for a file that is not a label map, 2 without --labels', async () => {
    const { code, out } = await run(['--labels', '/usr/share/mricron/templates/ch2bet.nii.gz', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out).error).toMatchObject({ expected: 'an MSD label 0, 1, 2 or 3' });
    await expect(run([])).rejects.toThrow(/usage: segtrial measure/);
  });
});
