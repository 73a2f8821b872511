import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../../imaging/nifti/read-nifti';
import { createContentStore } from '../../imaging/storage/content-store';
import { writeNifti } from '../../imaging/nifti/write-nifti';
import { runSegmentationProcess } from './run-segmentation-process';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../models/runtime/fixtures');

describe('segmentation in a child process', () => {
  it('reads four NIfTI files, reports progress, stores the label map once and returns its hash and provenance', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'segtrial-seg-'));
    const dims = [24, 20, 18] as const;
    const affine = [2, 0, 0, -24, 0, 2, 0, -20, 0, 0, 2, -18, 0, 0, 0, 1];
    const inputs: Record<string, string> = {};
    for (const [c, role] of ['flair', 't1', 't1gd', 't2'].entries()) {
      const data = new Float32Array(dims[0] * dims[1] * dims[2]);
      for (let i = 0; i < data.length; i++) data[i] = i % 7 === 0 ? 0 : 100 + ((i * (c + 3)) % 50);
      inputs[role] = path.join(dir, `${role}.nii.gz`);
      await writeNifti(inputs[role], { dims, spacing: [2, 2, 2], affine, data });
    }
    const modelPath = path.join(fixtures, 'pointwise.onnx');
    const card = {
      name: 'pointwise-test',
      version: '1',
      input: { name: 'image', channels: ['flair', 't1', 't1gd', 't2'], axisOrder: 'NCZYX', spacingMm: [2, 2, 2] },
      output: { name: 'logits', form: 'softmax' },
      inference: { patch: [16, 16, 16], step: 0.5 },
      sha256: createHash('sha256').update(readFileSync(modelPath)).digest('hex'),
    };
    const progress: number[] = [];
    const storageRoot = path.join(dir, 'store');
    const result = await runSegmentationProcess({ modelPath, card, inputs: inputs as never, storageRoot, tta: false, providers: ['cpu'], threads: 1 }, { onProgress: (d) => progress.push(d) });
    expect(progress.length).toBe(result.provenance.tiles);
    expect(result.provenance).toMatchObject({ model: { name: 'pointwise-test' }, runtime: { name: 'onnxruntime-node', executionProvider: 'cpu' }, settings: { tta: false, step: 0.5 } });
    expect(Object.keys(result.provenance.inputs).sort()).toEqual(['flair', 't1', 't1gd', 't2']);
    const outputPath = createContentStore(storageRoot).pathOf(result.labelsSha256);
    const labels = await readNifti(outputPath);
    expect(labels.dims).toEqual([24, 20, 18]);
    expect(labels.affine).toEqual(affine);
    expect(result.labelsSha256).toBe(createHash('sha256').update(readFileSync(outputPath)).digest('hex'));
    const voxelMl = 8 / 1000;
    const counted = Array.from(labels.data).filter((v) => v > 0).length * voxelMl;
    expect(result.volumesMl.WT).toBeCloseTo(counted, 6);
  });

  it('fails with the child process error when an input is missing', async () => {
    await expect(
      runSegmentationProcess({
        modelPath: path.join(fixtures, 'pointwise.onnx'),
        card: {},
        inputs: { flair: '/nonexistent.nii', t1: '', t1gd: '', t2: '' },
        storageRoot: '/tmp/segtrial-none',
        tta: false,
      }),
    ).rejects.toThrow(/segmentation process failed \(exit 1\)/);
  });
});
