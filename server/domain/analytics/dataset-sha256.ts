import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of `value`'s canonical JSON as `canonicalJson(JSON.parse(JSON.stringify(value)))`
 * writes it (keys sorted by UTF-16 code unit, no whitespace; what JSON leaves out or turns into
 * null, as JSON.stringify does: undefined properties, non-finite numbers), in one pass: the
 * dataset's snapshot hash, whose round trip through JSON and per-object sorting cost more than the
 * rest of assembling the dataset.
 */
export function datasetSha256(value: unknown): string {
  const out = { text: '' };
  write(value, out);
  return createHash('sha256').update(out.text).digest('hex');
}

/**
 * The rows of a dataset share a few shapes (key lists): each shape's sorted keys and their quoted
 * `"key":` prefixes are worked out once, instead of sorting and quoting every object's keys.
 */
interface Shape {
  readonly keys: readonly string[];
  readonly sorted: readonly string[];
  readonly prefixes: readonly string[];
}
const shapes = new Map<string, Shape>();
const MAX_SHAPES = 1000;
// The last few shapes met, checked first by comparing key lists (no joined text to build).
const recent: Shape[] = [];

function shapeOf(keys: string[]): Shape {
  for (const shape of recent) if (sameKeys(shape.keys, keys)) return shape;
  const id = keys.join('\u0000');
  let shape = shapes.get(id);
  // Two key lists could join to the same text (a key holding U+0000): a hit is checked key by key.
  if (!shape || !sameKeys(shape.keys, keys)) {
    const sorted = [...keys].sort();
    shape = { keys, sorted, prefixes: sorted.map((k) => JSON.stringify(k) + ':') };
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shapes.set(id, shape);
  }
  recent.unshift(shape);
  if (recent.length > 8) recent.pop();
  return shape;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const absent = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function write(value: unknown, out: { text: string }): void {
  if (value === null) {
    out.text += 'null';
    return;
  }
  switch (typeof value) {
    case 'string':
      out.text += JSON.stringify(value);
      return;
    case 'boolean':
      out.text += value ? 'true' : 'false';
      return;
    case 'number':
      out.text += Number.isFinite(value) ? String(value) : 'null'; // String() writes a finite number as JSON does
      return;
    case 'bigint':
      throw new TypeError('datasetSha256: a bigint has no JSON form');
    case 'object': {
      const json = (value as { toJSON?: unknown }).toJSON;
      if (typeof json === 'function') return write((json as () => unknown).call(value), out);
      if (Array.isArray(value)) {
        out.text += '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.text += ',';
          const item: unknown = value[i];
          if (absent(item)) out.text += 'null';
          else write(item, out);
        }
        out.text += ']';
        return;
      }
      const record = value as Record<string, unknown>;
      const { sorted, prefixes } = shapeOf(Object.keys(record));
      out.text += '{';
      let first = true;
      for (let i = 0; i < sorted.length; i++) {
        const item = record[sorted[i]!];
        if (absent(item)) continue;
        out.text += first ? prefixes[i]! : ',' + prefixes[i]!;
        first = false;
        write(item, out);
      }
      out.text += '}';
      return;
    }
    default:
      // undefined, a function or a symbol at the top: JSON.stringify answers undefined, which JSON.parse refuses.
      throw new TypeError(`datasetSha256: a value of type ${typeof value} has no JSON form`);
  }
}
