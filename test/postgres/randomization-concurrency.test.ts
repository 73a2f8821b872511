import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { allocations, auditLog } from '../../db/schema';
import { verifyAuditChain } from '../../server/domain/audit/verify-audit-chain';
import { openTestDatabase } from '../integration/support/test-database';
import { BLOCK_SIZES, randomizeConcurrently, setUpTrial } from './support/concurrency-trial';

/** Every invariant of stratified permuted blocks, checked from the stored allocations. Returns violations. */
async function blockInvariantViolations(db: Database, trialId: string, expected: number): Promise<string[]> {
  const rows = await db
    .select()
    .from(allocations)
    .where(and(eq(allocations.trialId, trialId), eq(allocations.mode, 'live')))
    .orderBy(asc(allocations.stratumKey), asc(allocations.slotIndex));
  const violations: string[] = [];
  if (rows.length !== expected) violations.push(`${rows.length} allocations for ${expected} participants`);
  const byStratum = new Map<string, typeof rows>();
  for (const row of rows) byStratum.set(row.stratumKey, [...(byStratum.get(row.stratumKey) ?? []), row]);
  const half = Math.max(...BLOCK_SIZES) / 2;
  for (const [stratum, list] of byStratum) {
    const counts = { ai_assisted: 0, control: 0 };
    list.forEach((row, i) => {
      if (row.slotIndex !== i) violations.push(`${stratum}: slot ${i} holds index ${row.slotIndex} (skipped or used twice)`);
      counts[row.arm as keyof typeof counts] += 1;
      if (Math.abs(counts.ai_assisted - counts.control) > half) violations.push(`${stratum}: imbalance ${counts.ai_assisted}-${counts.control} at slot ${i}`);
      const p = row.provenance as { blockSize: number; positionInBlock: number };
      if (p.positionInBlock === p.blockSize - 1 && counts.ai_assisted !== counts.control)
        violations.push(`${stratum}: unequal ${counts.ai_assisted}-${counts.control} at the end of a block (slot ${i})`);
    });
  }
  return violations;
}

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  handle = await openTestDatabase({ maxConnections: 8 });
});
afterAll(() => handle.close());

describe('concurrent randomization on PostgreSQL', () => {
  it('1,000 randomizations from 16 clients over 8 connections in 4 strata keep every invariant', async () => {
    const { trialId, ids } = await setUpTrial(handle.db, 1000);
    const errors = await randomizeConcurrently(handle.db, trialId, ids);
    expect(errors).toEqual([]);
    expect(await blockInvariantViolations(handle.db, trialId, 1000)).toEqual([]);
    const strata = await handle.db.selectDistinct({ key: allocations.stratumKey }).from(allocations).where(eq(allocations.trialId, trialId));
    expect(strata).toHaveLength(4);
    const [{ n } = { n: 0 }] = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(and(eq(auditLog.trialId, trialId), eq(auditLog.action, 'participant.randomized')));
    expect(n).toBe(1000);
    expect(await verifyAuditChain({ db: handle.db })).toMatchObject({ ok: true });
  });

  it('without the stratum lock the same workload breaks: slots collide (shows the lock is what protects it)', async () => {
    const { trialId, ids } = await setUpTrial(handle.db, 300);
    const errors = await randomizeConcurrently(handle.db, trialId, ids, 'none');
    const violations = await blockInvariantViolations(handle.db, trialId, 300);
    // The unique slot constraint turns most races into errors; anything that slipped through shows as a violation.
    expect(errors.length + violations.length).toBeGreaterThan(0);
    const messages = errors.map((e) => String((e as { cause?: { message?: string } }).cause?.message ?? e));
    expect(messages.some((m) => m.includes('allocations_period_slot_uq'))).toBe(true);
  });
});
