/**
 * Canonical JSON for hashing: object keys sorted by UTF-16 code unit (JavaScript's default string
 * order), no whitespace, array order kept, properties whose value is undefined dropped, numbers as
 * JSON.stringify writes them (shortest round-trip form, e.g. 0.8). Non-finite numbers and values
 * JSON cannot carry (functions, bigint, symbols) are rejected rather than silently changed.
 *
 * @example canonicalJson({ b: [2, 1], a: 'x' }) // '{"a":"x","b":[2,1]}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a value of type ${typeof value}`);
  }
}
