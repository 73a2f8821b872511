/**
 * The two RANO diameters of a planar shape given as points (in mm, in-plane coordinates): the
 * longest diameter is the maximum Feret (caliper) diameter, the largest distance between two of
 * the points; the perpendicular diameter is the shape's extent (caliper width) at right angles to
 * it. For a convex shape the extent equals the longest chord perpendicular to the longest
 * diameter (an ellipse gives its two axes); for a ring-enhancing lesion it spans the necrotic
 * centre, as a reader measuring the outer margin does.
 *
 * Computed on the convex hull (Andrew's monotone chain), then all pairs of hull vertices: hulls of
 * voxel outlines have tens of vertices, so the quadratic pass is cheaper than rotating calipers'
 * bookkeeping. Ties between equally long diameters (within 1e-9 mm, common on a lattice) are
 * broken by the longer perpendicular, so the result does not depend on point order.
 * Empty input gives zeros.
 *
 * @example feretDiameters([[0, 0], [4, 0], [4, 2], [0, 2]]) // { longestMm: 4.47213595499958, perpendicularMm: 3.577708763999664, ... }
 */
export function feretDiameters(points: readonly (readonly [number, number])[]): { longestMm: number; perpendicularMm: number; from: [number, number]; to: [number, number] } {
  const hull = convexHull(points);
  if (hull.length === 0) return { longestMm: 0, perpendicularMm: 0, from: [0, 0], to: [0, 0] };
  let best = { longestMm: 0, perpendicularMm: 0, from: hull[0]!, to: hull[0]! };
  for (let a = 0; a < hull.length; a++)
    for (let b = a + 1; b < hull.length; b++) {
      const p = hull[a]!;
      const q = hull[b]!;
      const d = Math.hypot(q[0] - p[0], q[1] - p[1]);
      if (d < best.longestMm - 1e-9) continue;
      const perp = extent(hull, -(q[1] - p[1]) / d, (q[0] - p[0]) / d);
      if (d > best.longestMm + 1e-9 || perp > best.perpendicularMm) best = { longestMm: d, perpendicularMm: perp, from: p, to: q };
    }
  return { longestMm: best.longestMm, perpendicularMm: best.perpendicularMm, from: [best.from[0], best.from[1]], to: [best.to[0], best.to[1]] };
}

function extent(points: readonly (readonly [number, number])[], ux: number, uy: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const [x, y] of points) {
    const t = x * ux + y * uy;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return hi - lo;
}

function convexHull(points: readonly (readonly [number, number])[]): (readonly [number, number])[] {
  const pts = [...points].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  if (pts.length <= 2) return pts;
  const cross = (o: readonly [number, number], a: readonly [number, number], b: readonly [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: (readonly [number, number])[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: (readonly [number, number])[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}
