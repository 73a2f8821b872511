import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VolumeFormatError } from '../errors';
import { regionMask } from './region-masks';
import { segmentationMetrics } from './segmentation-metrics';
import { surfaceDistances } from './surface-distances';

interface Case {
  dims: [number, number, number];
  spacing: [number, number, number];
  reference: number[];
  predicted: number[];
  expected: { region: string; dice: number; hd95: number | 'Inf'; sensitivity: number | 'NaN'; specificity: number; predictedMl: number; referenceMl: number }[];
}
const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(path.join(here, 'fixtures', 'metrics.json'), 'utf8')) as { cases: Case[] };
const num = (v: number | 'Inf' | 'NaN') => (v === 'Inf' ? Infinity : v === 'NaN' ? Number.NaN : v);

describe('segmentationMetrics against scipy.ndimage (fixtures/generate.py)', () => {
  fixture.cases.forEach((c, k) => {
    it(`case ${k} (${c.dims.join('×')} at ${c.spacing.join('×')} mm)`, () => {
      const got = segmentationMetrics({ predicted: Float32Array.from(c.predicted), reference: Int16Array.from(c.reference), dims: c.dims, spacing: c.spacing });
      expect(got.map((m) => m.region)).toEqual(c.expected.map((e) => e.region));
      got.forEach((m, i) => {
        const e = c.expected[i]!;
        expect(m.dice, `${m.region} dice`).toBeCloseTo(e.dice, 14);
        const hd = num(e.hd95);
        if (Number.isFinite(hd)) expect(Math.abs(m.hd95 - hd), `${m.region} hd95 ${m.hd95} vs ${hd}`).toBeLessThan(1e-9);
        else expect(m.hd95).toBe(hd);
        const sens = num(e.sensitivity);
        if (Number.isNaN(sens)) expect(m.sensitivity).toBeNaN();
        else expect(m.sensitivity).toBeCloseTo(sens, 14);
        expect(m.specificity).toBeCloseTo(e.specificity, 14);
        expect(m.predictedMl).toBeCloseTo(e.predictedMl, 12);
        expect(m.referenceMl).toBeCloseTo(e.referenceMl, 12);
      });
    });
  });
});

describe('segmentationMetrics conventions', () => {
  it('identical maps give Dice 1 and HD95 0', () => {
    const labels = new Float32Array([0, 1, 2, 3, 3, 2, 1, 0]);
    for (const m of segmentationMetrics({ predicted: labels, reference: labels, dims: [2, 2, 2], spacing: [1, 1, 1] })) {
      expect(m.dice).toBe(1);
      expect(m.hd95).toBe(0);
    }
  });
  it('documented example', () => {
    const m = segmentationMetrics({ predicted: new Float32Array([0, 3, 3, 0]), reference: new Float32Array([0, 3, 0, 0]), dims: [4, 1, 1], spacing: [1, 1, 1] });
    expect(m[2]).toEqual({ region: 'ET', dice: 2 / 3, hd95: 0.8999999999999999, sensitivity: 1, specificity: 2 / 3, predictedMl: 0.002, referenceMl: 0.001 });
  });
  it('refuses maps of another size than the grid', () => {
    expect(() => segmentationMetrics({ predicted: new Float32Array(8), reference: new Float32Array(7), dims: [2, 2, 2], spacing: [1, 1, 1] })).toThrow(VolumeFormatError);
  });
  it('surface distances follow anisotropic spacing', () => {
    expect([...surfaceDistances(new Uint8Array([1, 0, 0]), new Uint8Array([0, 0, 1]), [3, 1, 1], [1.5, 1, 1])]).toEqual([3, 3]);
    expect([...regionMask(new Float32Array([0, 1, 2, 3]), 'TC')]).toEqual([0, 0, 1, 1]);
  });
});
