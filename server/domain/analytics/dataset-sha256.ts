import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of `value`'s canonical JSON as `canonicalJson(JSON.parse(JSON.stringify(value)))`
 * writes it (keys sorted by UTF-16 code unit, no whitespace; what JSON leaves out or turns into
 * null, as JSON.stringify does: undefined properties, non-finite numbers), in one pass: the
 * dataset's snapshot hash, whose round trip through JSON and per-object sorting cost more than the
 * rest of assembling the dataset.
 */
export function datasetSha256(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return createHash('sha256').update(out.join('')).digest('hex');
}

const absent = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function write(value: unknown, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      out.push(Number.isFinite(value) ? JSON.stringify(value) : 'null');
      return;
    case 'bigint':
      throw new TypeError('datasetSha256: a bigint has no JSON form');
    case 'object': {
      const json = (value as { toJSON?: unknown }).toJSON;
      if (typeof json === 'function') return write((json as () => unknown).call(value), out);
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          const item: unknown = value[i];
          if (absent(item)) out.push('null');
          else write(item, out);
        }
        out.push(']');
        return;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      out.push('{');
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (absent(item)) continue;
        out.push(first ? JSON.stringify(key) + ':' : ',' + JSON.stringify(key) + ':');
        first = false;
        write(item, out);
      }
      out.push('}');
      return;
    }
    default:
      // undefined, a function or a symbol at the top: JSON.stringify answers undefined, which JSON.parse refuses.
      throw new TypeError(`datasetSha256: a value of type ${typeof value} has no JSON form`);
  }
}
