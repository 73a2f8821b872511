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
    expect(r.affine).toEqual([
      [1, 0, 0, -90],
      [0, 1, 0, -125],
      [0, 0, 1, -71],
      [0, 0, 0, 1],
    ]);
  });

  it('reads a DICOM series zip (LPS-stored, oblique)', async () => {
    const { code, out } = await run(['imaging/ingest/fixtures/oblique-series.zip', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ format: 'dicom', dims: [20, 16, 10], spacing: [0.9, 1.1, 2.5], orientation: 'LPS', datatype: 'int16' });
  });

  // Files not made by us: nibabel's test data (Debian python3-nibabel) and Colin27 at 0.5 mm.
  const nibabel = '/usr/lib/python3/dist-packages/nibabel/tests/data';

  it('describes a 4D file with two volumes (nibabel example4d) and says ingest refuses it for its channel count', async () => {
    const { code, out } = await run([`${nibabel}/example4d.nii.gz`, '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r).toMatchObject({ format: 'nifti-1', dims: [128, 96, 24, 2], datatype: 'int16' });
    expect(r.ingest).toMatchObject({ status: 'refused', reason: { code: 'channels', field: 'dim[4] (channels)', found: 2 } });
  });

  it('describes a NIfTI-2 4D file (nibabel example_nifti2)', async () => {
    const { code, out } = await run([`${nibabel}/example_nifti2.nii.gz`, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ format: 'nifti-2', dims: [32, 20, 12, 2], ingest: { status: 'refused', reason: { code: 'channels' } } });
  });

  it('describes a 3D big-endian file and accepts it as one sequence (nibabel anatomical.nii)', async () => {
    const { code, out } = await run([`${nibabel}/anatomical.nii`, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ dims: [33, 41, 25], datatype: 'int16', ingest: { status: 'accepted' } });
  });

  it('describes the 0.5 mm Colin27 head (35 M voxels) from its header and says why ingest refuses it', async () => {
    const { code, out } = await run(['/usr/share/mricron/templates/ch2better.nii.gz', '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.voxels).toBeGreaterThan(2 ** 25);
    expect(r.spacing).toEqual([0.5, 0.5, 0.5]);
    expect(r.ingest).toMatchObject({ status: 'refused', reason: { code: 'dimensions', field: 'voxel count' } });
  });

  it('prints the verdict in text mode', async () => {
    const { code, out } = await run(['/usr/share/mricron/templates/ch2.nii.gz']);
    expect(code).toBe(0);
    expect(out).toMatch(/ingest\s+accepted as one sequence/);
  });

  it('exits 1 with the typed error for a file it refuses', async () => {
    const { code, out } = await run(['package.json', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out).error).toMatchObject({ code: 'format', field: 'file name' });
  });
});
