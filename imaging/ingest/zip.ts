/**
 * Bounded zip reading for DICOM series uploads. The central directory is read first; the entry count
 * and the declared uncompressed sizes are checked against the budget before anything is inflated,
 * and each entry is inflated with node:zlib's `maxOutputLength` set to its declared size, so an entry
 * that lies about its size is stopped at the first byte past the declaration (and one that inflates
 * to less is refused too). Stored (0) and deflate (8) entries only; no zip64, no encryption.
 *
 * Why not fflate's unzipSync: it inflates into a buffer of the declared size without checking that
 * the stream ends there, so an entry declaring 1 kB that inflates to 200 MB was silently truncated
 * after 400 ms of work here — CPU proportional to what the attacker compressed, not to the budget.
 */
import { inflateRawSync } from 'node:zlib';
import { IngestError } from './errors';

export interface ZipEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface ZipLimits {
  readonly maxZipEntries: number;
  readonly maxUnzippedBytes: number;
}

/** Entries that are not content: folders, hidden files, macOS resource forks, DICOMDIR indexes. */
export function isIgnoredEntry(name: string): boolean {
  const base = name.split('/').pop() ?? '';
  return name.endsWith('/') || base === '' || base.startsWith('.') || name.startsWith('__MACOSX/') || base.toUpperCase() === 'DICOMDIR';
}

export function readZip(bytes: Uint8Array, file: string, limits: ZipLimits): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (field: string, found: string | number, expected: string) => new IngestError('format', file, field, found, expected);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--)
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw bad('end of central directory', 'not found', 'a zip archive with its central directory (is the upload truncated?)');
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) throw bad('zip format', 'zip64', 'a plain zip (no zip64)');
  if (dirOffset + dirSize > eocd) throw bad('central directory offset', dirOffset, `at most ${eocd - dirSize}`);
  if (count > limits.maxZipEntries) throw new IngestError('too-large', file, 'zip entries', count, `at most ${limits.maxZipEntries}`);

  const entries: { name: string; method: number; csize: number; usize: number; local: number }[] = [];
  let declared = 0;
  let p = dirOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== 0x02014b50) throw bad(`central directory entry ${n}`, 'missing or corrupt', 'a central directory header');
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const csize = view.getUint32(p + 20, true);
    const usize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
    if (isIgnoredEntry(name)) continue;
    if (flags & 1) throw bad(`entry ${name}`, 'encrypted', 'an unencrypted entry');
    if (method !== 0 && method !== 8) throw bad(`entry ${name} compression method`, method, '0 (stored) or 8 (deflate)');
    declared += usize;
    if (declared > limits.maxUnzippedBytes) throw new IngestError('too-large', file, 'unzipped size', `more than ${declared} bytes`, `at most ${limits.maxUnzippedBytes} bytes`);
    entries.push({ name, method, csize, usize, local });
  }

  return entries.map((e) => {
    if (e.local + 30 > bytes.length || view.getUint32(e.local, true) !== 0x04034b50) throw bad(`entry ${e.name} local header`, 'missing', 'a local file header');
    const start = e.local + 30 + view.getUint16(e.local + 26, true) + view.getUint16(e.local + 28, true);
    if (start + e.csize > bytes.length) throw new IngestError('size-mismatch', file, `entry ${e.name} compressed size`, `${bytes.length - start} bytes available`, `${e.csize} bytes`);
    const body = bytes.subarray(start, start + e.csize);
    let out: Uint8Array;
    if (e.method === 0) out = body;
    else {
      try {
        out = new Uint8Array(inflateRawSync(body, { maxOutputLength: Math.max(1, e.usize) }));
      } catch (err) {
        const tooBig = err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
        if (tooBig) throw new IngestError('too-large', file, `entry ${e.name} inflated size`, `more than ${e.usize} bytes`, `${e.usize} bytes (its declared size)`);
        throw bad(`entry ${e.name} deflate stream`, err instanceof Error ? err.message : String(err), 'a valid deflate stream');
      }
    }
    if (out.length !== e.usize) throw new IngestError('size-mismatch', file, `entry ${e.name} size`, `${out.length} bytes`, `${e.usize} bytes (its declared size)`);
    return { name: `${file}/${e.name}`, bytes: out };
  });
}
