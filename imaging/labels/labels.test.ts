import { describe, expect, it } from 'vitest';
import { labelDisplay } from './label-display';
import { lesionFocus } from './lesion-focus';

const all = [false, true, true, true];

describe('labelDisplay', () => {
  it('hides labels that are toggled off and keeps the others', () => {
    const labels = Uint8Array.of(0, 1, 2, 3, 1);
    expect(labelDisplay({ labels, dims: [5, 1, 1], visible: [false, false, true, true], outline: false })).toEqual(Uint8Array.of(0, 0, 2, 3, 0));
    expect(labelDisplay({ labels, dims: [5, 1, 1], visible: all, outline: false })).toEqual(labels);
  });

  it('keeps only boundary voxels in outline mode (a 3×3×3 cube keeps its 26 shell voxels)', () => {
    const dims = [5, 5, 5] as const;
    const labels = new Uint8Array(125);
    for (let z = 1; z <= 3; z++) for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) labels[x + 5 * (y + 5 * z)] = 1;
    const out = labelDisplay({ labels, dims, visible: all, outline: true });
    expect(out.reduce((s, v) => s + (v > 0 ? 1 : 0), 0)).toBe(26);
    expect(out[2 + 5 * (2 + 5 * 2)]).toBe(0);
  });

  it('draws the edge between two labels on both sides, and treats a hidden neighbour as an edge', () => {
    const labels = Uint8Array.of(1, 1, 1, 3, 3, 3);
    // In a 6×1×1 volume every voxel touches the volume's edge in y and z: all are boundary.
    expect(labelDisplay({ labels, dims: [6, 1, 1], visible: all, outline: true })).toEqual(labels);
    const dims = [6, 3, 3] as const;
    const big = new Uint8Array(54);
    for (let x = 0; x < 6; x++) big[x + 6 * (1 + 3 * 1)] = x < 3 ? 1 : 3;
    const middle = (x: number) => x + 6 * (1 + 3 * 1);
    const shown = labelDisplay({ labels: big, dims, visible: [false, false, true, true], outline: true });
    expect([...[0, 1, 2, 3, 4, 5].map((x) => shown[middle(x)])]).toEqual([0, 0, 0, 3, 3, 3]);
  });

  it('refuses a label map that does not fit its dims', () => {
    expect(() => labelDisplay({ labels: new Uint8Array(5), dims: [2, 2, 2], visible: all, outline: false })).toThrow(/5 voxels, dims 2×2×2 need 8/);
  });
});

describe('lesionFocus', () => {
  it('snaps the centroid of a ring to a labelled voxel', () => {
    expect(lesionFocus({ labels: Uint8Array.of(0, 3, 0, 3, 0), dims: [5, 1, 1] })).toEqual([1, 0, 0]);
  });

  it('prefers the tumour core, falls back to the whole tumour, and gives null when empty', () => {
    const labels = new Uint8Array(27);
    labels[0] = 1;
    labels[26] = 2;
    expect(lesionFocus({ labels, dims: [3, 3, 3] })).toEqual([2, 2, 2]);
    labels[26] = 0;
    expect(lesionFocus({ labels, dims: [3, 3, 3] })).toEqual([0, 0, 0]);
    expect(lesionFocus({ labels: new Uint8Array(27), dims: [3, 3, 3] })).toBeNull();
  });
});
