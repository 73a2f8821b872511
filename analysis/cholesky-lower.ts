import { AnalysisInputError } from './errors';

/**
 * The lower-triangular L with L·Lᵀ = A for a symmetric positive-definite A (Cholesky–Banachiewicz),
 * the transpose of R's chol(A). Throws `UNDEFINED_ESTIMATE` when A is not positive definite.
 *
 * @example
 * choleskyLower([[4, 2], [2, 3]]); // → [[2, 0], [1, 1.414…]]
 */
export function choleskyLower(a: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = (a[i] as readonly number[])[j] as number;
      for (let k = 0; k < j; k++) s -= ((l[i] as number[])[k] as number) * ((l[j] as number[])[k] as number);
      if (i === j) {
        if (!(s > 0)) throw new AnalysisInputError('UNDEFINED_ESTIMATE', `matrix is not positive definite (pivot ${i + 1} is ${s})`);
        (l[i] as number[])[i] = Math.sqrt(s);
      } else (l[i] as number[])[j] = s / ((l[j] as number[])[j] as number);
    }
  }
  return l;
}
