import { formatCsv } from '@/analysis/format-csv';
import type { DbOrTx } from '@/db/client';
import { queryAuditTrail, type AuditTrailFilters, type AuditTrailRow } from './query-audit-trail';

/** The most rows one export holds (a larger trail is exported in date ranges). */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;

const CSV_COLUMNS = [
  'id',
  'occurred_at',
  'action',
  'actor_user_id',
  'actor_role',
  'actor_username',
  'actor_name',
  'entity_type',
  'record_id',
  'participant_id',
  'trial_id',
  'reason',
  'signature_id',
  'signer_name',
  'signature_meaning',
  'signed_content_sha256',
  'before',
  'after',
  'request',
  'prev_hash',
  'hash',
  'redacted',
] as const;

/**
 * The filtered audit trail as CSV or JSON, oldest first, every row with the exact content its hash
 * covers (occurred_at, actor, action, entity, trial, before, after, request) and its prev_hash and
 * hash, so an inspector can recompute each hash offline (docs/audit.md; scripts/verify-audit-export.py).
 * Rows of a filtered export need not be consecutive in the global chain: each row verifies on its
 * own, and consecutive ids also verify their links.
 */
export async function exportAuditTrail({ db, filters, blinded, format }: { db: DbOrTx; filters: Omit<AuditTrailFilters, 'beforeId' | 'limit'>; blinded: boolean; format: 'csv' | 'json' }) {
  const rows: AuditTrailRow[] = [];
  let beforeId: number | undefined;
  for (;;) {
    const page = await queryAuditTrail({ db, filters: { ...filters, beforeId, limit: 500 }, blinded });
    rows.push(...page.rows);
    if (page.nextBeforeId === null || rows.length >= AUDIT_EXPORT_MAX_ROWS) break;
    beforeId = page.nextBeforeId;
  }
  rows.reverse();
  const lastHash = rows.at(-1)?.hash ?? null;
  if (format === 'json') {
    const body = rows.map((r) => ({
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      actorUserId: r.actor.userId,
      actorRole: r.actor.role,
      actorUsername: r.actor.username,
      actorName: r.actor.name,
      action: r.action,
      entityType: r.entityType,
      entityId: r.recordId,
      participantId: r.participantId,
      trialId: r.trialId,
      reason: r.reason,
      signature: r.signature,
      before: r.before ?? null,
      after: r.after ?? null,
      request: r.request ?? null,
      prevHash: r.prevHash,
      hash: r.hash,
      redacted: r.redacted,
    }));
    return {
      content: `${JSON.stringify({ format: 'segtrial-audit-export/1', hash: 'sha256(prevHash + "\\n" + canonicalJson({occurredAt, actorUserId, actorRole, action, entityType, entityId, trialId, before, after, request}))', rows: body }, null, 1)}\n`,
      rowCount: rows.length,
      lastHash,
    };
  }
  const records = rows.map((r) => [
    r.id,
    r.occurredAt.toISOString(),
    r.action,
    r.actor.userId,
    r.actor.role,
    r.actor.username,
    r.actor.name,
    r.entityType,
    r.recordId,
    r.participantId,
    r.trialId,
    r.reason,
    r.signature?.id,
    r.signature?.signerName,
    r.signature?.meaning,
    r.signature?.contentSha256,
    json(r.before),
    json(r.after),
    json(r.request),
    r.prevHash,
    r.hash,
    r.redacted,
  ]);
  return { content: formatCsv({ columns: CSV_COLUMNS, rows: records }), rowCount: rows.length, lastHash };
}

const json = (v: unknown) => (v === null || v === undefined ? 'null' : JSON.stringify(v));
