import { createHmac } from 'node:crypto';
import { normalizeSeed, type SeedInput } from './seed';

const TWO_POW_32 = 0x1_0000_0000;

/**
 * A deterministic stream of random numbers derived from a trial's seed.
 *
 * Construction (documented in docs/randomization.md; changing it requires a new ALGORITHM_VERSION):
 *   block(c) = HMAC-SHA256(key = seed bytes, message = UTF-8 `${algorithmVersion}|${streamName}|${c}`)
 *   for c = 0, 1, 2, … in decimal. The stream is block(0) ‖ block(1) ‖ …, read as consecutive
 *   big-endian unsigned 32-bit words (8 per block).
 *   - nextInt(n), uniform on {0, …, n−1}: read words w until w < n·⌊2³²/n⌋ (rejection sampling,
 *     so no modulo bias), return w mod n.
 *   - nextDouble(), uniform on [0, 1) with 53 random bits: read words a, b, return
 *     ((a >>> 5)·2²⁶ + (b >>> 6)) / 2⁵³.
 * The message is unambiguous even if streamName contains '|': the version has no '|' and the
 * counter is the text after the last '|'.
 */
export class RandomStream {
  readonly #seed: Uint8Array;
  readonly #prefix: string;
  #counter = 0;
  #block: Buffer = Buffer.alloc(0);
  #offset = 0;
  #wordsRead = 0;

  constructor(seed: Uint8Array, algorithmVersion: string, streamName: string) {
    this.#seed = seed;
    this.#prefix = `${algorithmVersion}|${streamName}|`;
  }

  /** How many 32-bit words have been consumed so far (for provenance and tests). */
  get wordsRead(): number {
    return this.#wordsRead;
  }

  nextUint32(): number {
    if (this.#offset >= this.#block.length) {
      this.#block = createHmac('sha256', this.#seed).update(`${this.#prefix}${this.#counter}`, 'utf8').digest();
      this.#counter += 1;
      this.#offset = 0;
    }
    const word = this.#block.readUInt32BE(this.#offset);
    this.#offset += 4;
    this.#wordsRead += 1;
    return word;
  }

  /** Uniform integer in [0, n), 1 ≤ n ≤ 2³², without modulo bias. */
  nextInt(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`nextInt: n must be an integer in [1, 2^32]; got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const word = this.nextUint32();
      if (word < limit) return word % n;
    }
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 0x400_0000 + low) / 2 ** 53;
  }
}

export interface CreateRandomStreamOptions {
  readonly seed: SeedInput;
  readonly algorithmVersion: string;
  /** e.g. a canonical stratum key (blocks) or `minimization/${sequenceIndex}`. */
  readonly streamName: string;
}

export function createRandomStream({ seed, algorithmVersion, streamName }: CreateRandomStreamOptions): RandomStream {
  if (algorithmVersion.includes('|')) throw new RangeError(`algorithm version must not contain '|': ${algorithmVersion}`);
  return new RandomStream(normalizeSeed(seed), algorithmVersion, streamName);
}
