import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only, hash-chained audit trail. UPDATE, DELETE and TRUNCATE are refused by triggers
 * (see the custom migration). `hash` = SHA-256 over `prevHash` and the canonical JSON of the row's
 * content; server/domain/audit/audit-hash.ts defines it and `segtrial audit verify` recomputes it.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
    actorUserId: uuid('actor_user_id'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    trialId: uuid('trial_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    request: jsonb('request'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_trial_idx').on(t.trialId), index('audit_entity_idx').on(t.entityType, t.entityId)],
);
