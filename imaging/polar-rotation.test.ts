import { describe, expect, it } from 'vitest';
import { polarRotation } from './polar-rotation';

function multiply3(a: readonly number[], b: readonly number[]): number[] {
  return [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => a[3 * i]! * b[j]! + a[3 * i + 1]! * b[3 + j]! + a[3 * i + 2]! * b[6 + j]!));
}

describe('polarRotation', () => {
  it('recovers R from R·S for a symmetric positive-definite S (scales and shear)', () => {
    const [ax, az] = [0.3, -0.7];
    const rx = [1, 0, 0, 0, Math.cos(ax), -Math.sin(ax), 0, Math.sin(ax), Math.cos(ax)];
    const rz = [Math.cos(az), -Math.sin(az), 0, Math.sin(az), Math.cos(az), 0, 0, 0, 1];
    const rotation = multiply3(rz, rx);
    const s = [1.2, 0.1, 0.05, 0.1, 0.9, -0.08, 0.05, -0.08, 2.5];
    const r = polarRotation(multiply3(rotation, s));
    r.forEach((v, k) => expect(v).toBeCloseTo(rotation[k]!, 9));
    // Orthonormal: R Rᵀ = I.
    const rrt = multiply3(r, [r[0]!, r[3]!, r[6]!, r[1]!, r[4]!, r[7]!, r[2]!, r[5]!, r[8]!]);
    rrt.forEach((v, k) => expect(v).toBeCloseTo(k % 4 === 0 ? 1 : 0, 9));
  });

  it('returns a rotation unchanged', () => {
    const r = [0, -1, 0, 1, 0, 0, 0, 0, 1];
    expect(polarRotation(r)).toEqual(r);
  });
});
