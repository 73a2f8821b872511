import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema';
import { verifyAuditChain } from '../../server/domain/audit/verify-audit-chain';
import { writeAuditEvent } from '../../server/domain/audit/write-audit-event';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';
import { databaseError } from './support/database-error';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(() => handle.close());

describe(`audit trail (${TEST_DRIVER})`, () => {
  it('chains 1,000 audited changes, and the verifier names row 500 after one byte of it changes', async () => {
    const db = handle.db;
    for (let batch = 0; batch < 10; batch++) {
      await db.transaction(async (tx) => {
        for (let i = 0; i < 100; i++) {
          const n = batch * 100 + i + 1;
          await writeAuditEvent({
            tx,
            actor: { userId: null, role: 'admin' },
            action: 'trial.created',
            entityType: 'trial',
            entityId: `t-${n}`,
            before: null,
            after: { n, name: `Trial ${n}`, nested: { z: 1, a: [1, 2.5, 'x'] } },
            request: { via: 'system' },
          });
        }
      });
    }
    const clean = await verifyAuditChain({ db });
    expect(clean).toMatchObject({ ok: true, rowsChecked: 1000 });

    // Tamper as a superuser would: bypass the append-only triggers for this session only.
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`update audit_log set entity_id = 't-50X' where id = 500`);
    });
    const report = await verifyAuditChain({ db, pageSize: 128 });
    expect(report).toEqual({ ok: false, rowsChecked: 499, firstBadRowId: 500, reason: 'content_changed' });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit table in the database itself', async () => {
    const db = handle.db;
    expect(await databaseError(db.execute(sql`update audit_log set action = 'x' where id = 1`))).toMatch(/append-only: UPDATE refused/);
    expect(await databaseError(db.delete(auditLog).where(sql`id = 2`))).toMatch(/append-only: DELETE refused/);
    expect(await databaseError(db.execute(sql`truncate audit_log`))).toMatch(/append-only: TRUNCATE refused/);
    const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(auditLog);
    expect(count).toBe(1000);
  });

  it('rolls the audit row back with the change it records', async () => {
    const db = handle.db;
    await expect(
      db.transaction(async (tx) => {
        await writeAuditEvent({ tx, actor: { userId: null, role: null }, action: 'trial.created', entityType: 'trial', request: { via: 'system' } });
        throw new Error('change failed after auditing');
      }),
    ).rejects.toThrow('change failed');
    const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(auditLog);
    expect(count).toBe(1000);
  });
});
