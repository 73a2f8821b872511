import { describe, expect, it } from 'vitest';
import { Rng } from './random';

describe('Rng', () => {
  it('is deterministic per seed and forks independently of draw order', () => {
    const a = new Rng(42),
      b = new Rng(42),
      c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
    const f1 = new Rng('s').fork('x').next();
    const r = new Rng('s');
    r.next();
    expect(r.fork('x').next()).toBe(f1);
  });

  it('draws standard normals with mean 0 and variance 1', () => {
    const r = new Rng('normal');
    let s = 0,
      ss = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      ss += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(ss / n - 1)).toBeLessThan(0.02);
  });

  it('keeps truncated normals and integers in range', () => {
    const r = new Rng(1);
    for (let i = 0; i < 1000; i++) {
      const t = r.truncatedNormal(0, 5, -1, 2);
      expect(t).toBeGreaterThanOrEqual(-1);
      expect(t).toBeLessThanOrEqual(2);
      const k = r.int(3, 5);
      expect([3, 4, 5]).toContain(k);
    }
  });
});
