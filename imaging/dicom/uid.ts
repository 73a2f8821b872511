import { createHash, randomBytes } from 'node:crypto';

/**
 * DICOM UIDs under the 2.25 root (ISO/IEC 9834-8: a UUID written as one decimal integer), so no
 * organisation root is needed. `seed` gives the same UID for the same seed (a rewritten series keeps
 * its identity); without it the UID is random.
 *
 * @example deriveUid('a').startsWith('2.25.') // true, and at most 64 characters
 */
export function deriveUid(seed?: string): string {
  const bytes = seed === undefined ? randomBytes(16) : createHash('sha256').update(seed).digest().subarray(0, 16);
  return `2.25.${BigInt(`0x${bytes.toString('hex')}`).toString(10)}`;
}
