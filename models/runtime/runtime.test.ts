import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSession } from './onnx-session';
import { openModelSession } from './onnx-session';
import { labelVolumesMl } from './label-volumes';
import { prepareInput } from './preprocess';
import { segmentVolume, wholeBoxSize } from './segment-volume';
import { gaussianImportance, tileStarts } from './sliding-window';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A deterministic pseudo-random case: a "brain" ellipsoid of noisy tissue in a zero background. */
function syntheticCase(dims: [number, number, number], seed = 1): Float32Array[] {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const [nx, ny, nz] = dims;
  return Array.from({ length: 4 }, (_, c) => {
    const data = new Float32Array(nx * ny * nz);
    for (let z = 0, i = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, i++) {
          const r = ((x - nx / 2) / (nx * 0.4)) ** 2 + ((y - ny / 2) / (ny * 0.4)) ** 2 + ((z - nz / 2) / (nz * 0.4)) ** 2;
          data[i] = r < 1 ? 100 + 40 * c + 50 * rand() : 0;
        }
    return data;
  });
}

describe('sliding-window geometry', () => {
  it('spreads tiles evenly with at most half a patch between starts', () => {
    expect(tileStarts(240, 128, 0.5)).toEqual([0, 56, 112]);
    expect(tileStarts(100, 128, 0.5)).toEqual([0]);
    expect(tileStarts(128, 128, 0.5)).toEqual([0]);
    expect(tileStarts(129, 128, 0.5)).toEqual([0, 1]);
  });

  it('weights the patch centre 1 and never 0 at the border', () => {
    const g = gaussianImportance([9, 9, 9]);
    expect(g[4 + 9 * (4 + 9 * 4)]).toBeCloseTo(1, 6);
    expect(Math.min(...g)).toBeGreaterThan(0);
  });
});

describe('preprocessing', () => {
  it('crops to the brain and z-scores each channel inside it', () => {
    const dims: [number, number, number] = [20, 18, 16];
    const input = prepareInput(syntheticCase(dims), dims);
    expect(input.size[0]).toBeLessThan(20);
    const n = input.size[0] * input.size[1] * input.size[2];
    const brain = Array.from(input.data.subarray(0, n)).filter((v) => v !== 0);
    const mean = brain.reduce((a, b) => a + b, 0) / brain.length;
    const sd = Math.sqrt(brain.reduce((a, b) => a + (b - mean) ** 2, 0) / brain.length);
    expect(mean).toBeCloseTo(0, 4);
    expect(sd).toBeCloseTo(1, 3);
  });
});

describe('segmentVolume with real ONNX models', () => {
  let pointwise: ModelSession;
  let context: ModelSession;
  beforeAll(async () => {
    pointwise = await openModelSession(path.join(fixtures, 'pointwise.onnx'), { providers: ['cpu'], threads: 1 });
    context = await openModelSession(path.join(fixtures, 'context.onnx'), { providers: ['cpu'], threads: 1 });
  });

  /** Labels the pointwise model must give: `decide` applied to (x0 + 0.5, x1, x2, x3) of the z-scored crop. */
  function expectedPointwise(channels: Float32Array[], dims: [number, number, number], decide: (logits: number[]) => number): Uint8Array {
    const prepared = prepareInput(channels, dims);
    const n = prepared.size[0] * prepared.size[1] * prepared.size[2];
    const expected = new Uint8Array(dims[0] * dims[1] * dims[2]);
    for (let z = 0, j = 0; z < prepared.size[2]; z++)
      for (let y = 0; y < prepared.size[1]; y++)
        for (let x = 0; x < prepared.size[0]; x++, j++) {
          const logits = [prepared.data[j]! + 0.5, prepared.data[n + j]!, prepared.data[2 * n + j]!, prepared.data[3 * n + j]!];
          expected[prepared.box.min[0] + x + dims[0] * (prepared.box.min[1] + y + dims[1] * (prepared.box.min[2] + z))] = decide(logits);
        }
    return expected;
  }

  it('reproduces whole-volume inference exactly for a pointwise model, with tiling and with TTA', async () => {
    const dims: [number, number, number] = [30, 26, 22];
    const channels = syntheticCase(dims);
    const expected = expectedPointwise(channels, dims, (v) => v.indexOf(Math.max(...v)));
    expect(new Set(expected).size).toBeGreaterThan(2); // the case exercises several labels
    for (const tta of [false, true]) {
      const progress: number[] = [];
      const result = await segmentVolume(pointwise.session, channels, dims, { patch: [16, 16, 16], step: 0.5, tta, outputForm: { kind: 'softmax' }, onProgress: (d) => progress.push(d) });
      expect(result.tiles).toBeGreaterThan(1);
      expect(progress.at(-1)).toBe(result.tiles);
      expect(Buffer.from(result.labels).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it('blends tiles of a model with spatial context close to whole-volume inference', async () => {
    const dims: [number, number, number] = [40, 36, 32];
    const channels = syntheticCase(dims, 5);
    const whole = await segmentVolume(context.session, channels, dims, { patch: [40, 40, 32], step: 1, tta: false, outputForm: { kind: 'softmax' } });
    const tiled = await segmentVolume(context.session, channels, dims, { patch: [16, 16, 16], step: 0.5, tta: false, outputForm: { kind: 'softmax' } });
    let same = 0;
    for (let i = 0; i < whole.labels.length; i++) if (whole.labels[i] === tiled.labels[i]) same++;
    expect(same / whole.labels.length).toBeGreaterThan(0.97);
  });

  it('whole-box tiling: one pass over the box padded to a multiple of 8, exact for a pointwise model with and without TTA', async () => {
    const dims: [number, number, number] = [30, 26, 22];
    const channels = syntheticCase(dims);
    const expected = expectedPointwise(channels, dims, (v) => v.indexOf(Math.max(...v)));
    expect(wholeBoxSize(prepareInput(channels, dims).size, 8).every((v) => v % 8 === 0)).toBe(true);
    for (const tta of [false, true]) {
      const result = await segmentVolume(pointwise.session, channels, dims, { patch: [16, 16, 16], step: 0.5, tiling: 'whole-box', tta, outputForm: { kind: 'softmax' } });
      expect(result.tiles).toBe(1);
      expect(Buffer.from(result.labels).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it('whole-box tiling equals one sliding-window tile covering the same padded box (a model with context)', async () => {
    const dims: [number, number, number] = [40, 36, 32];
    const channels = syntheticCase(dims, 5);
    const box = wholeBoxSize(prepareInput(channels, dims).size, 8);
    const oneTile = await segmentVolume(context.session, channels, dims, { patch: box, step: 1, tta: false, outputForm: { kind: 'softmax' } });
    const wholeBox = await segmentVolume(context.session, channels, dims, { patch: [16, 16, 16], step: 0.5, tiling: 'whole-box', tta: false, outputForm: { kind: 'softmax' } });
    expect(oneTile.tiles).toBe(1);
    expect(Buffer.from(wholeBox.labels).equals(Buffer.from(oneTile.labels))).toBe(true);
  });

  it('maps nested sigmoid regions (TC, WT, ET order) to labels', async () => {
    const dims: [number, number, number] = [20, 20, 20];
    const channels = syntheticCase(dims, 3);
    // Channel order TC, WT, ET: WT off -> 0; else ET on -> 3; else TC on -> 2; else 1.
    const expected = expectedPointwise(channels, dims, ([tc, wt, et]) => (wt! <= 0 ? 0 : et! > 0 ? 3 : tc! > 0 ? 2 : 1));
    const result = await segmentVolume(pointwise.session, channels, dims, { patch: [16, 16, 16], step: 0.5, tta: false, outputForm: { kind: 'sigmoid-regions', order: ['TC', 'WT', 'ET'] } });
    expect(new Set(expected).size).toBeGreaterThan(2);
    expect(Buffer.from(result.labels).equals(Buffer.from(expected))).toBe(true);
  });

  it('falls back to CPU with a log line when a GPU provider cannot load', async () => {
    const lines: string[] = [];
    const s = await openModelSession(path.join(fixtures, 'pointwise.onnx'), { providers: ['cuda', 'cpu'], log: (l) => lines.push(l) });
    expect(s.provider).toBe('cpu');
    expect(s.fallbacks[0]?.provider).toBe('cuda');
    expect(lines.join('\n')).toContain("execution provider 'cuda' unavailable");
  });
});

describe('label volumes', () => {
  it('converts voxel counts to mL per label and region', () => {
    expect(labelVolumesMl(Uint8Array.of(0, 1, 2, 3, 3), [10, 10, 10])).toEqual({ edema: 1, non_enhancing_tumor: 1, enhancing_tumor: 2, WT: 4, TC: 3, ET: 2 });
  });
});
