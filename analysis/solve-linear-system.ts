import { AnalysisInputError } from './errors';

/**
 * Solves A·x = b for a square matrix A (row-major array of rows) by Gaussian elimination with
 * partial pivoting; the inputs are not modified. Used for the small systems of score tests and
 * Newton steps (p ≤ a few dozen), where this is exact enough and needs no library.
 * Throws `INVALID_ARGUMENT` when the shapes disagree and `UNDEFINED_ESTIMATE` when A is singular
 * (a pivot below 1e-13 times the largest entry), naming the column.
 *
 * @example
 * solveLinearSystem([[2, 1], [1, 3]], [3, 5]); // → [0.8, 1.4]
 */
export function solveLinearSystem(matrix: readonly (readonly number[])[], rhs: readonly number[]): number[] {
  const n = matrix.length;
  if (rhs.length !== n || matrix.some((row) => row.length !== n)) throw new AnalysisInputError('INVALID_ARGUMENT', `expected an ${n}×${n} matrix and ${n} right-hand values`);
  const a = matrix.map((row, i) => [...row, rhs[i] as number]);
  const scale = Math.max(...matrix.flat().map(Math.abs), 0);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs((a[r] as number[])[col] as number) > Math.abs((a[pivot] as number[])[col] as number)) pivot = r;
    const pivotRow = a[pivot] as number[];
    if (!(Math.abs(pivotRow[col] as number) > 1e-13 * scale)) throw new AnalysisInputError('UNDEFINED_ESTIMATE', `singular matrix (no pivot in column ${col + 1})`);
    [a[col], a[pivot]] = [pivotRow, a[col] as number[]];
    const top = a[col] as number[];
    for (let r = col + 1; r < n; r++) {
      const row = a[r] as number[];
      const f = (row[col] as number) / (top[col] as number);
      if (f !== 0) for (let c = col; c <= n; c++) row[c] = (row[c] as number) - f * (top[c] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = a[r] as number[];
    let s = row[n] as number;
    for (let c = r + 1; c < n; c++) s -= (row[c] as number) * (x[c] as number);
    x[r] = s / (row[r] as number);
  }
  return x;
}
