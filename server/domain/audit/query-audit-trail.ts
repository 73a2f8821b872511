import { and, desc, eq, gte, ilike, inArray, lt, lte, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { auditLog, users } from '@/db/schema';

/** Filters of the reviewable audit trail: who, what, when, which participant; paged newest first. */
export const auditTrailFiltersSchema = z.strictObject({
  trialId: z.uuid(),
  /** Part of the actor's username or name. */
  actor: z.string().trim().max(60).optional(),
  /** An action ('participant.randomized') or an action family ('participant.'). */
  action: z.string().trim().max(60).optional(),
  participantId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Paging cursor: rows with a smaller id than this (the previous page's last id). */
  beforeId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type AuditTrailFilters = z.input<typeof auditTrailFiltersSchema>;

/**
 * Events that by their existence reveal an arm (only the AI-assisted arm reviews an AI
 * segmentation): a reader blinded in the trial does not get them, and is told how many were withheld.
 */
export const ARM_REVEALING_ACTIONS = ['review.segmentation_reviewed'] as const;
/** Keys removed from a blinded reader's copy of before/after (allocation and what implies it). */
const ARM_KEYS = new Set(['arm', 'blinded', 'segmentationReviewId', 'aiOutcome', 'stratumKey', 'slotIndex']);

export interface AuditTrailRow {
  readonly id: number;
  readonly occurredAt: Date;
  readonly action: string;
  readonly actor: { readonly userId: string | null; readonly role: string | null; readonly username: string | null; readonly name: string | null };
  readonly entityType: string;
  /** The record the event is about. */
  readonly recordId: string | null;
  /** The participant the event concerns, when there is one. */
  readonly participantId: string | null;
  readonly trialId: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string | null;
  readonly signature: { readonly id: string; readonly signerName: string | null; readonly meaning: string | null; readonly contentSha256: string | null } | null;
  readonly request: unknown;
  readonly prevHash: string;
  readonly hash: string;
  /** Parts of before/after were withheld from a blinded reader: the hash no longer covers this copy. */
  readonly redacted: boolean;
}

const participantOf = sql<
  string | null
>`case when ${auditLog.entityType} = 'participant' then ${auditLog.entityId} else coalesce(${auditLog.after}->>'participantId', ${auditLog.before}->>'participantId') end`;

/**
 * One page of a trial's audit trail, newest first, with the actor's name, the record and
 * participant ids, old and new values, reason and signature manifest of each event, and the chain
 * hashes so a reader can check each row. `blinded`: the reader may not see arms (see ARM_KEYS).
 */
export async function queryAuditTrail({ db, filters, blinded }: { db: DbOrTx; filters: AuditTrailFilters; blinded: boolean }) {
  const f = auditTrailFiltersSchema.parse(filters);
  const conditions: (SQL | undefined)[] = [
    eq(auditLog.trialId, f.trialId),
    f.action ? (f.action.endsWith('.') ? ilike(auditLog.action, `${escapeLike(f.action)}%`) : eq(auditLog.action, f.action)) : undefined,
    f.participantId ? sql`${participantOf} = ${f.participantId}` : undefined,
    f.from ? gte(auditLog.occurredAt, new Date(f.from)) : undefined,
    f.to ? lte(auditLog.occurredAt, new Date(f.to)) : undefined,
    f.actor ? or(ilike(users.username, `%${escapeLike(f.actor)}%`), ilike(users.displayName, `%${escapeLike(f.actor)}%`)) : undefined,
  ];
  const visible = blinded ? notInArray(auditLog.action, [...ARM_REVEALING_ACTIONS]) : undefined;
  const rows = await db
    .select({ row: auditLog, username: users.username, name: users.displayName, participantId: participantOf })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(...conditions, visible, f.beforeId ? lt(auditLog.id, f.beforeId) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(f.limit + 1);
  const withheld = blinded
    ? Number(
        (
          await db
            .select({ n: sql<number>`count(*)` })
            .from(auditLog)
            .leftJoin(users, eq(users.id, auditLog.actorUserId))
            .where(and(...conditions, inArray(auditLog.action, [...ARM_REVEALING_ACTIONS])))
        )[0]?.n ?? 0,
      )
    : 0;
  const page = rows.slice(0, f.limit);
  return {
    rows: page.map(({ row, username, name, participantId }) => toTrailRow(row, { username, name, participantId }, blinded)),
    nextBeforeId: rows.length > f.limit ? (page.at(-1)?.row.id ?? null) : null,
    withheldForBlinding: withheld,
  };
}

function toTrailRow(row: typeof auditLog.$inferSelect, joined: { username: string | null; name: string | null; participantId: string | null }, blinded: boolean): AuditTrailRow {
  const after = (row.after ?? null) as Record<string, unknown> | null;
  const before = (row.before ?? null) as Record<string, unknown> | null;
  const redactedBefore = blinded ? redact(before) : { value: before, changed: false };
  const redactedAfter = blinded ? redact(after) : { value: after, changed: false };
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const signatureId = str(after?.signatureId);
  return {
    id: row.id,
    occurredAt: row.occurredAt,
    action: row.action,
    actor: { userId: row.actorUserId, role: row.actorRole, username: joined.username, name: joined.name },
    entityType: row.entityType,
    recordId: row.entityId,
    participantId: joined.participantId,
    trialId: row.trialId,
    before: redactedBefore.value,
    after: redactedAfter.value,
    reason: str(after?.reason) ?? str(after?.correctionReason) ?? str(after?.note) ?? null,
    signature: signatureId ? { id: signatureId, signerName: str(after?.signerName), meaning: str(after?.meaning), contentSha256: str(after?.contentSha256) } : null,
    request: row.request,
    prevHash: row.prevHash,
    hash: row.hash,
    redacted: redactedBefore.changed || redactedAfter.changed,
  };
}

/** A copy without ARM_KEYS at any depth; `changed` when something was removed. */
function redact(value: unknown): { value: unknown; changed: boolean } {
  if (Array.isArray(value)) {
    const items = value.map(redact);
    return { value: items.map((i) => i.value), changed: items.some((i) => i.changed) };
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (ARM_KEYS.has(k)) {
        changed = true;
        continue;
      }
      const inner = redact(v);
      changed ||= inner.changed;
      out[k] = inner.value;
    }
    return { value: out, changed };
  }
  return { value, changed: false };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
