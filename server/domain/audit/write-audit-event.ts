import { desc, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { auditLog } from '@/db/schema';
import type { AuditAction } from './audit-events';
import { AUDIT_GENESIS_HASH, computeAuditHash } from './audit-hash';

/** Who did it and from where; `null` actor for the system (seed, migrations, CLI without login). */
export interface AuditActor {
  readonly userId: string | null;
  readonly role: string | null;
}

export interface RequestMetadata {
  readonly ip?: string | null;
  readonly userAgent?: string | null;
  readonly requestId?: string | null;
  readonly via?: 'web' | 'cli' | 'system' | 'worker';
}

export interface WriteAuditEventOptions {
  readonly tx: DbOrTx;
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly entityType: string;
  readonly entityId?: string | null;
  readonly trialId?: string | null;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly request?: RequestMetadata;
}

/** Arbitrary fixed key of the advisory lock that serializes appends to the hash chain. */
const AUDIT_CHAIN_LOCK_KEY = 7_316_001;

/**
 * Appends one row to the hash-chained audit log. Call it inside the transaction of the change it
 * records, as that transaction's last statement: it takes a transaction-scoped advisory lock so
 * concurrent appends form one chain, and holding that lock while taking other locks could deadlock.
 */
export async function writeAuditEvent(options: WriteAuditEventOptions): Promise<{ id: number; hash: string }> {
  const { tx } = options;
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  const row = {
    occurredAt: new Date(),
    actorUserId: options.actor.userId,
    actorRole: options.actor.role,
    action: options.action,
    entityType: options.entityType,
    entityId: options.entityId ?? null,
    trialId: options.trialId ?? null,
    // Round-trip through JSON so what is hashed is exactly what jsonb stores (no undefined, no Dates).
    before: toJsonValue(options.before),
    after: toJsonValue(options.after),
    request: toJsonValue(options.request),
    prevHash: last?.hash ?? AUDIT_GENESIS_HASH,
  };
  const hash = computeAuditHash(row);
  const [inserted] = await tx
    .insert(auditLog)
    .values({ ...row, hash })
    .returning({ id: auditLog.id });
  if (!inserted) throw new Error('audit insert returned no row');
  return { id: inserted.id, hash };
}

function toJsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
