import { describe, expect, it } from 'vitest';
import { readNifti } from '../nifti/read-nifti';
import { brainExtractionMethod, extractBrain, maskDice } from './extract-brain';
import { dilate, erode, fillHoles, largestComponent6, squaredDistanceToMask } from './morphology';

describe('morphology', () => {
  it('distance transform equals brute force on an anisotropic grid', () => {
    const dims = [7, 5, 6] as const;
    const spacing = [1, 2, 0.5] as const;
    const n = 7 * 5 * 6;
    const seed = Uint8Array.from({ length: n }, (_, i) => ((i * 37) % 11 === 0 ? 1 : 0));
    const d = squaredDistanceToMask(seed, dims, spacing);
    const at = (i: number) => [i % 7, Math.floor(i / 7) % 5, Math.floor(i / 35)] as const;
    for (let i = 0; i < n; i++) {
      const [x, y, z] = at(i);
      let best = Infinity;
      for (let j = 0; j < n; j++)
        if (seed[j]) {
          const [a, b, c] = at(j);
          best = Math.min(best, (x - a) ** 2 + ((y - b) * 2) ** 2 + ((z - c) * 0.5) ** 2);
        }
      expect(d[i]).toBeCloseTo(best, 4);
    }
  });

  it('erodes and dilates by a ball, keeps the largest component, fills enclosed holes', () => {
    const dims = [11, 11, 11] as const;
    const ball = Uint8Array.from({ length: 1331 }, (_, i) => (Math.hypot((i % 11) - 5, (Math.floor(i / 11) % 11) - 5, Math.floor(i / 121) - 5) <= 4 ? 1 : 0));
    const count = (m: Uint8Array) => m.reduce((s, v) => s + v, 0);
    expect(count(erode(ball, dims, [1, 1, 1], 3))).toBe(
      Uint8Array.from({ length: 1331 }, (_, i) => (Math.hypot((i % 11) - 5, (Math.floor(i / 11) % 11) - 5, Math.floor(i / 121) - 5) <= 1 ? 1 : 0)).reduce((s, v) => s + v, 0),
    );
    const dot = new Uint8Array(1331);
    dot[5 + 11 * (5 + 11 * 5)] = 1;
    expect(dilate(dot, dims, [1, 1, 1], 1)).toEqual(Uint8Array.from({ length: 1331 }, (_, i) => (Math.hypot((i % 11) - 5, (Math.floor(i / 11) % 11) - 5, Math.floor(i / 121) - 5) <= 1 ? 1 : 0)));
    const two = Uint8Array.from(ball);
    two[0] = 1; // a one-voxel island
    expect(largestComponent6(two, dims)).toEqual(ball);
    const hollow = Uint8Array.from(ball);
    hollow[5 + 11 * (5 + 11 * 5)] = 0;
    expect(fillHoles(hollow, dims)).toEqual(ball);
  });
});

// Colin27 with its head (ch2) against BET's brain (ch2bet), Debian mricron-data: not our generator.
describe('brain extraction on Colin27', { timeout: 240_000 }, () => {
  it('finds the brain in a skull-on T1 and in a skull-stripped one (Dice against ch2bet)', async () => {
    const head = await readNifti('/usr/share/mricron/templates/ch2.nii.gz');
    const stripped = await readNifti('/usr/share/mricron/templates/ch2bet.nii.gz');
    const truth = Uint8Array.from(stripped.data, (v) => (v > 0 ? 1 : 0));
    const onHead = extractBrain([head]);
    const onStripped = extractBrain([stripped]);
    const diceHead = maskDice(onHead.mask, truth),
      diceStripped = maskDice(onStripped.mask, truth);
    console.log(
      `brain extraction Dice vs ch2bet: skull-on ${diceHead.toFixed(4)} (removed ${(onHead.removedFraction * 100).toFixed(1)}% of the non-zero voxels), skull-stripped ${diceStripped.toFixed(4)}`,
    );
    expect(onHead.method).toBe(brainExtractionMethod);
    expect(diceHead).toBeGreaterThan(0.93);
    expect(diceStripped).toBeGreaterThan(0.95);
    expect(onHead.removedFraction).toBeGreaterThan(0.3);
    expect(onStripped.removedFraction).toBeLessThan(0.05);
  });
});
