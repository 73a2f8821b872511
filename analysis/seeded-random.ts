/** A reproducible stream of pseudo-random numbers. */
export interface SeededRandom {
  /** Next raw 32-bit output as an unsigned integer in [0, 2³²). */
  nextUint32(): number;
  /** Uniform double in [0, 1): nextUint32() / 2³² (32 bits of resolution). */
  nextFloat(): number;
  /** Uniform integer in [0, n): floor(nextFloat() · n), n a positive integer below 2³². */
  nextInt(n: number): number;
}

/**
 * Seeded xoshiro128** generator (period 2¹²⁸ − 1), for reproducible bootstrap resampling.
 *
 * Seeding: the 32-bit seed (`seed >>> 0`) drives SplitMix32 — a ← a + 0x9E3779B9,
 * t = a ⊕ (a ≫ 16), t ← t·0x21F0AAAD, t ← t ⊕ (t ≫ 15), t ← t·0x735A2D97, out = t ⊕ (t ≫ 15),
 * all mod 2³² — whose first four outputs are the state words s0…s3 (never all zero).
 * Step: out = rotl(s1·5, 7)·9; t = s1 ≪ 9; s2 ⊕= s0; s3 ⊕= s1; s1 ⊕= s2; s0 ⊕= s3; s2 ⊕= t;
 * s3 = rotl(s3, 11). The Python twin in `fixtures/generate.py` reproduces the stream bit for bit.
 * Reference: D. Blackman & S. Vigna (2021), "Scrambled linear pseudorandom number generators",
 * ACM TOMS 47(4):36; SplitMix from G. Steele, D. Lea, C. Flood (2014), OOPSLA.
 *
 * @example
 * const rng = createSeededRandom(42);
 * [rng.nextUint32(), rng.nextUint32(), rng.nextInt(10)]; // → [660444221, 3652823732, 0]
 */
export function createSeededRandom(seed: number): SeededRandom {
  let a = seed >>> 0;
  const splitmix = (): number => {
    a = (a + 0x9e3779b9) >>> 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
  let s0 = splitmix();
  let s1 = splitmix();
  let s2 = splitmix();
  let s3 = splitmix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const nextUint32 = (): number => {
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };
  const nextFloat = (): number => nextUint32() / 4294967296;
  return { nextUint32, nextFloat, nextInt: (n: number) => Math.floor(nextFloat() * n) };
}
