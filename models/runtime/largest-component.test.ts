import { describe, expect, it } from 'vitest';
import { largestComponent } from './largest-component';

describe('largestComponent', () => {
  it('keeps the documented example', () => {
    expect([...largestComponent(Uint8Array.of(1, 0, 2, 2), [4, 1, 1])]).toEqual([0, 0, 2, 2]);
  });

  it('keeps the biggest 6-connected lesion with its labels and drops a distant blob', () => {
    const dims = [6, 6, 6] as const;
    const at = (x: number, y: number, z: number) => x + 6 * (y + 6 * z);
    const labels = new Uint8Array(216);
    // Lesion: a 2×2×2 cube, edema around enhancing; blob: one voxel in the far corner.
    for (const [x, y, z] of [
      [1, 1, 1],
      [2, 1, 1],
      [1, 2, 1],
      [2, 2, 1],
      [1, 1, 2],
      [2, 1, 2],
      [1, 2, 2],
      [2, 2, 2],
    ] as const)
      labels[at(x, y, z)] = 1;
    labels[at(2, 2, 2)] = 3;
    labels[at(5, 5, 5)] = 2;
    // Diagonal neighbours are not 6-connected.
    labels[at(3, 3, 3)] = 1;
    largestComponent(labels, dims);
    expect(labels[at(5, 5, 5)]).toBe(0);
    expect(labels[at(3, 3, 3)]).toBe(0);
    expect(labels[at(2, 2, 2)]).toBe(3);
    expect(labels.reduce((s, v) => s + (v > 0 ? 1 : 0), 0)).toBe(8);
  });

  it('leaves an empty map empty', () => {
    expect(largestComponent(new Uint8Array(27), [3, 3, 3]).every((v) => v === 0)).toBe(true);
  });
});
