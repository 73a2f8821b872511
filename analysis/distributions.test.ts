import { describe, expect, it } from 'vitest';
import { chiSquareUpperTail } from './chi-square-upper-tail';
import { expectClose } from '../test/support/expect-close';
import { readFixture } from '../test/support/read-analysis-fixture';
import { logGamma } from './log-gamma';
import { normalCdf } from './normal-cdf';
import { normalQuantile } from './normal-quantile';
import { quantileSorted } from './quantile-sorted';

interface Distributions {
  qnorm: { p: number; q: number }[];
  pnorm: { x: number; p: number }[];
  pchisqUpper: { x: number; df: number; p: number }[];
  lgamma: { x: number; value: number }[];
}
const d = readFixture<Distributions>('distributions.json');

describe('distributions vs R (distributions.json)', () => {
  it('normalQuantile = qnorm to 1e-13 relative', () => {
    for (const { p, q } of d.qnorm) expectClose(normalQuantile(p), q, { rel: 1e-13, abs: 1e-15 }, `qnorm(${p})`);
  });
  it('normalCdf = pnorm to 1e-13 relative (tails included)', () => {
    for (const { x, p } of d.pnorm) expectClose(normalCdf(x), p, { rel: 1e-13, abs: 1e-300 }, `pnorm(${x})`);
  });
  it('chiSquareUpperTail = pchisq(lower.tail = FALSE) to 1e-12 relative', () => {
    for (const { x, df, p } of d.pchisqUpper) expectClose(chiSquareUpperTail(x, df), p, { rel: 1e-12, abs: 1e-300 }, `pchisq(${x}, ${df})`);
  });
  it('logGamma = lgamma to 1e-13 relative', () => {
    for (const { x, value } of d.lgamma) expectClose(logGamma(x), value, { rel: 1e-13, abs: 1e-14 }, `lgamma(${x})`);
  });
  it('edges and errors', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrowError(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    expect(() => chiSquareUpperTail(-1, 1)).toThrowError(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    expect(() => chiSquareUpperTail(1, 0)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
  it('quantileSorted is R type 7', () => {
    // R: quantile(c(1, 2, 3, 4, 10), c(0, 0.1, 0.25, 0.5, 0.975, 1)) → 1.0 1.4 2.0 3.0 9.4 10.0
    const xs = [1, 2, 3, 4, 10];
    const got = [0, 0.1, 0.25, 0.5, 0.975, 1].map((p) => quantileSorted(xs, p));
    [1, 1.4, 2, 3, 9.4, 10].forEach((v, i) => expectClose(got[i] ?? Number.NaN, v, { rel: 1e-14 }, `q${i}`));
    expect(() => quantileSorted([], 0.5)).toThrowError(expect.objectContaining({ code: 'EMPTY_INPUT' }));
  });
});
