import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';

export interface Digest {
  readonly sha256: string;
  readonly bytes: number;
}

/** SHA-256 and size of a file, read as a stream. */
export async function fileDigest(file: string): Promise<Digest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** A pass-through stream that hashes and counts what flows through it; `digest()` once it has ended. */
export function digestTap(): Transform & { digest(): Digest } {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  let result: Digest | undefined;
  return Object.assign(tap, { digest: () => (result ??= { sha256: hash.digest('hex'), bytes }) });
}
