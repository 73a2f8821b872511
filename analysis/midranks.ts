/**
 * Mid-ranks (average ranks for ties, 1-based) of `values`, in input order — R's `rank(x)` with
 * ties.method = "average". O(n log n).
 *
 * Reference: e.g. Hollander, Wolfe & Chicken (2014), Nonparametric Statistical Methods 3rd ed. §4.1.
 *
 * @example
 * Array.from(midranks([0.3, 0.1, 0.3, 0.5])); // → [2.5, 1, 2.5, 4]
 */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1] as number] === values[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = rank;
    i = j + 1;
  }
  return ranks;
}
