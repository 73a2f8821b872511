/**
 * The rotation closest to a 3×3 linear part (the orthogonal factor of its polar decomposition), by
 * the Newton iteration R ← (R + R⁻ᵀ)/2 that nifti1_io's nifti_mat33_polar uses. Shared by the NIfTI
 * qform (imaging/nifti/quaternion.ts) and the registration's plausibility check (imaging/registration).
 * `m` is row-major 3×3; so is the result. A singular matrix is returned as far as the iteration got.
 */
export function polarRotation(m: readonly number[]): number[] {
  let r = m.slice(0, 9);
  for (let iteration = 0; iteration < 100; iteration++) {
    const [a, b, c, d, e, f, g, h, i] = r as [number, number, number, number, number, number, number, number, number];
    const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    if (Math.abs(det) < 1e-12) break;
    // R⁻ᵀ = cofactor matrix / det.
    const inverseTranspose = [
      (e * i - f * h) / det,
      -(d * i - f * g) / det,
      (d * h - e * g) / det,
      -(b * i - c * h) / det,
      (a * i - c * g) / det,
      -(a * h - b * g) / det,
      (b * f - c * e) / det,
      -(a * f - c * d) / det,
      (a * e - b * d) / det,
    ];
    const next = r.map((v, k) => 0.5 * (v + inverseTranspose[k]!));
    const change = next.reduce((s, v, k) => s + Math.abs(v - r[k]!), 0);
    r = next;
    if (change < 1e-12) break;
  }
  return r;
}
