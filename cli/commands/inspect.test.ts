import { afterEach, describe, expect, it, vi } from 'vitest';
import inspect from './inspect';

afterEach(() => vi.restoreAllMocks());

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
  vi.spyOn(console, 'error').mockImplementation((s: string) => void lines.push(s));
  const code = await inspect.run(args);
  return { code, out: lines.join('\n') };
}

describe('segtrial inspect', () => {
  it('prints dims, spacing, datatype, affine and orientation of Colin27 as JSON', async () => {
    const { code, out } = await run(['/usr/share/mricron/templates/ch2bet.nii.gz', '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(out) as Record<string, unknown>;
    expect(r).toMatchObject({ format: 'nifti-1', dims: [181, 217, 181], spacing: [1, 1, 1], datatype: 'uint8', orientation: 'RAS' });
    expect(r.affine).toEqual([[1, 0, 0, -90], [0, 1, 0, -125], [0, 0, 1, -71], [0, 0, 0, 1]]);
  });

  it('reads a DICOM series zip (LPS-stored, oblique)', async () => {
    const { code, out } = await run(['imaging/ingest/fixtures/oblique-series.zip', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ format: 'dicom', dims: [20, 16, 10], spacing: [0.9, 1.1, 2.5], orientation: 'LPS', datatype: 'int16' });
  });

  it('exits 1 with the typed error for a file it refuses', async () => {
    const { code, out } = await run(['package.json', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out).error).toMatchObject({ code: 'format', field: 'file name' });
  });
});
