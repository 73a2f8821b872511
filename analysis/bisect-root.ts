/**
 * A root of a continuous `f` with a sign change on [lo, hi], by bisection until the bracket is
 * narrower than `relativeTolerance`·(1 + |lo end|) or 200 halvings. Bisection because the boundary
 * functions it serves (group-sequential crossing probabilities) are monotone but costly and not smooth
 * enough in their quadrature to trust a secant step.
 */
export function bisectRoot(f: (x: number) => number, lo: number, hi: number, relativeTolerance: number): number {
  let a = lo;
  let b = hi;
  let fa = f(a);
  for (let i = 0; i < 200 && b - a > relativeTolerance * (1 + Math.abs(a)); i++) {
    const m = (a + b) / 2;
    const fm = f(m);
    if (fm === 0) return m;
    if (fm > 0 === fa > 0) {
      a = m;
      fa = fm;
    } else b = m;
  }
  return (a + b) / 2;
}
