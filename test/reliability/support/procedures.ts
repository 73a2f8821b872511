import fc from 'fast-check';
import { z } from 'zod';
import { appRouter } from '@/server/routers/_app';

export interface ProcedureInfo {
  readonly path: string;
  readonly type: 'query' | 'mutation' | 'subscription';
  /** The input's JSON Schema (zod's own conversion), or null when the procedure takes no input. */
  readonly inputSchema: JsonSchema | null;
}

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
};

/**
 * Every procedure of the app router, read from the router itself: a procedure added tomorrow is in
 * this list without anyone editing a test.
 */
export function listProcedures(): ProcedureInfo[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureInfo['type']; inputs: unknown[] } }>;
  return Object.entries(procedures)
    .map(([path, p]) => {
      const inputs = p._def.inputs.filter((i): i is z.ZodType => i instanceof z.ZodType);
      const schema = inputs.length === 0 ? null : inputs.length === 1 ? inputs[0]! : z.intersection(inputs[0]!, inputs[1]!);
      return { path, type: p._def.type, inputSchema: schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema) : null };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Values to use for id fields by name (a real record of another trial, say); the rest are generated. */
export type IdOverrides = Readonly<Record<string, fc.Arbitrary<unknown>>>;

/**
 * A fast-check arbitrary of inputs that satisfy `schema` (the subset of JSON Schema that zod emits
 * for this API's inputs). Object properties named in `overrides` take those values instead.
 */
export function arbitraryFor(schema: JsonSchema, overrides: IdOverrides = {}): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryFor(s, overrides)));
  if (schema.allOf) return arbitraryFor(Object.assign({}, ...schema.allOf) as JsonSchema, overrides);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) record[key] = overrides[key] ?? arbitraryFor(value, overrides);
      if (Object.keys(properties).length === 0 && typeof schema.additionalProperties === 'object') {
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), arbitraryFor(schema.additionalProperties, overrides), { maxKeys: 4 });
      }
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((k) => k in record) });
    }
    case 'array': {
      if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map((s) => arbitraryFor(s, overrides)));
      const min = schema.minItems ?? 0;
      return fc.array(schema.items ? arbitraryFor(schema.items, overrides) : fc.jsonValue(), { minLength: min, maxLength: Math.max(min, Math.min(schema.maxItems ?? 4, 4)) });
    }
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: Math.ceil(schema.minimum ?? (schema.exclusiveMinimum ?? -1e6 - 1) + 1), max: Math.floor(schema.maximum ?? (schema.exclusiveMaximum ?? 1e6 + 1) - 1) });
    case 'number':
      return fc.double({
        min: schema.minimum ?? schema.exclusiveMinimum ?? -1e6,
        max: schema.maximum ?? schema.exclusiveMaximum ?? 1e6,
        noNaN: true,
        minExcluded: schema.exclusiveMinimum !== undefined,
        maxExcluded: schema.exclusiveMaximum !== undefined,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Math.max(min, 40);
  switch (schema.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'date':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2026-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'email':
      return fc.emailAddress();
  }
  // No length filter on patterns: a filter that rejects most samples makes fast-check spin.
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  return fc.string({ minLength: min, maxLength: Math.min(max, 80) });
}

/** Hostile inputs: wrong types, huge and odd strings, prototype keys, deep nesting. */
export const junkInput: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    { __proto__: { admin: true } },
    { constructor: { prototype: { polluted: 1 } } },
    'x'.repeat(100_000),
    -0,
    1e308,
    [[[[[[[[[[[]]]]]]]]]]],
    { trialId: "' OR 1=1 --" },
    { trialId: '../../etc/passwd' },
  ),
);
