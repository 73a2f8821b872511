import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gaussianBlur } from './filters';
import { orientationCode, parseOrientationCode } from './orientation';
import { crc32, encodePng } from './png';
import { resample, sampleLinear } from './resample';
import { invertAffine, multiply4, rigidTransform, type Volume } from './volume';

describe('affine helpers', () => {
  it('inverts an affine', () => {
    const m = multiply4(rigidTransform([0.1, 0.2, 0.3], [4, 5, 6]), [2, 0, 0, 1, 0, 3, 0, 2, 0, 0, 4, 3, 0, 0, 0, 1]);
    multiply4(m, invertAffine(m)).forEach((v, i) => expect(v).toBeCloseTo([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1][i]!, 12));
  });
});

describe('orientation', () => {
  it('names axes like nibabel aff2axcodes', () => {
    expect(orientationCode([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe('RAS');
    expect(orientationCode([-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe('LPS');
    expect(orientationCode([0, 0, -1, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 1])).toBe('PIL');
    expect(parseOrientationCode('PIR')).toEqual({ axis: [1, 2, 0], sign: [-1, -1, 1] });
    expect(() => parseOrientationCode('RRS')).toThrow(/twice/);
  });
});

describe('resample and sampleLinear (x fastest)', () => {
  // 3×2×2 grid, value = x + 10y + 100z
  const data = Float32Array.from({ length: 12 }, (_, i) => (i % 3) + 10 * (Math.floor(i / 3) % 2) + 100 * Math.floor(i / 6));
  const vol: Volume<Float32Array> = { dims: [3, 2, 2], spacing: [1, 1, 1], affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], data };

  it('interpolates a linear function exactly and fills outside', () => {
    expect(sampleLinear(data, vol.dims, 1.5, 0.25, 0.5)).toBeCloseTo(1.5 + 2.5 + 50, 5);
    expect(sampleLinear(data, vol.dims, 2.5, 0, 0, -1)).toBe(-1);
  });

  it('maps world to world through both affines (half-voxel shift, flipped axis)', () => {
    const target = { dims: [2, 2, 2] as const, affine: [-1, 0, 0, 1.5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] };
    const out = resample(vol, target);
    expect([...out.data.slice(0, 2)]).toEqual([1.5, 0.5]);
    const nn = resample(vol, { dims: [1, 1, 1], affine: [1, 0, 0, 2.2, 0, 1, 0, 0.9, 0, 0, 1, 1, 0, 0, 0, 1] }, { interpolation: 'nearest' });
    expect(nn.data[0]).toBe(112);
  });
});

describe('gaussianBlur', () => {
  it('keeps constants constant at the borders and spreads an impulse symmetrically', () => {
    const dims = [9, 9, 9] as const;
    const c = gaussianBlur(new Float32Array(729).fill(3), dims, [1.5, 1.5, 1.5]);
    c.forEach((v) => expect(v).toBeCloseTo(3, 5));
    const imp = new Float32Array(729);
    imp[4 + 9 * (4 + 9 * 4)] = 1;
    const b = gaussianBlur(imp, dims, [1, 0, 0]);
    expect(b[3 + 9 * (4 + 9 * 4)]).toBeCloseTo(b[5 + 9 * (4 + 9 * 4)]!, 7);
    expect(b[4 + 9 * (3 + 9 * 4)]).toBe(0);
    expect(b.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 2); // not exact: border renormalisation
  });
});

describe('encodePng', () => {
  it('writes a valid PNG with the pixels in its IDAT', () => {
    const png = encodePng(2, 2, 1, Uint8Array.from([0, 64, 128, 255]));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    const view = new DataView(png.buffer);
    const ihdrLen = view.getUint32(8);
    const idatStart = 8 + 12 + ihdrLen;
    const idatLen = view.getUint32(idatStart);
    const raw = inflateSync(png.subarray(idatStart + 8, idatStart + 8 + idatLen));
    expect([...raw]).toEqual([0, 0, 64, 0, 128, 255]);
  });
});
