import { createHash } from 'node:crypto';

/** The genesis value a chain starts from (the `prevHash` of row 1). */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** What an audit row's hash covers: every column except `id` and `hash` itself. */
export interface AuditHashInput {
  readonly occurredAt: Date;
  readonly actorUserId: string | null;
  readonly actorRole: string | null;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string | null;
  readonly trialId: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly request: unknown;
  readonly prevHash: string;
}

/**
 * JSON with object keys sorted recursively, so a value hashes the same before it is written and
 * after it comes back from a jsonb column (which reorders keys). undefined properties are dropped,
 * as jsonb does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the previous hash and the canonical content of the row. */
export function computeAuditHash(row: AuditHashInput): string {
  const content = canonicalJson({
    occurredAt: row.occurredAt.toISOString(),
    actorUserId: row.actorUserId,
    actorRole: row.actorRole,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    trialId: row.trialId,
    before: row.before ?? null,
    after: row.after ?? null,
    request: row.request ?? null,
  });
  return createHash('sha256').update(row.prevHash).update('\n').update(content).digest('hex');
}
