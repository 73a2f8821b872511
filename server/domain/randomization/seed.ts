import { randomBytes } from 'node:crypto';
import { RandomizationError } from './randomization-error';

/** Seeds are 32 bytes (256 bits) from the operating system's CSPRNG. */
export const SEED_BYTES = 32;

/** A seed as bytes, or as the 64 lowercase/uppercase hex characters it is stored as. */
export type SeedInput = Uint8Array | string;

/** A fresh seed, generated once when a trial is created and never changed afterwards. */
export function generateSeed(): Uint8Array {
  return new Uint8Array(randomBytes(SEED_BYTES));
}

/** Checks and converts a seed to bytes. Throws INVALID_SEED for anything but 32 bytes / 64 hex chars. */
export function normalizeSeed(seed: SeedInput): Uint8Array {
  if (typeof seed === 'string') {
    if (!/^[0-9a-fA-F]{64}$/.test(seed)) {
      throw new RandomizationError('INVALID_SEED', `seed must be ${SEED_BYTES * 2} hex characters; got ${seed.length} characters`);
    }
    return new Uint8Array(Buffer.from(seed, 'hex'));
  }
  if (seed.length !== SEED_BYTES) {
    throw new RandomizationError('INVALID_SEED', `seed must be ${SEED_BYTES} bytes; got ${seed.length}`);
  }
  return seed;
}

/** The seed as lowercase hex (the form stored, published in the commitment and shown to statisticians). */
export function seedToHex(seed: SeedInput): string {
  return Buffer.from(normalizeSeed(seed)).toString('hex');
}
