import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '@/db/client';
import { allocations, auditLog, participants } from '@/db/schema';
import { verifyAuditChain } from '@/server/domain/audit/verify-audit-chain';

/** What the load generator was told succeeded (HTTP 200): these must be in the database. */
export interface AcknowledgedWrites {
  readonly enrolled: readonly string[];
  readonly randomized: readonly string[];
}

export interface InvariantReport {
  readonly participants: number;
  readonly allocations: number;
  readonly auditRows: number;
  readonly violations: readonly string[];
}

/**
 * Every invariant of the trial data, checked from what is stored, after load or a crash:
 * - every acknowledged enrollment and randomization is present;
 * - nothing is half-present: each participant has exactly one enrollment audit row, each
 *   allocation exactly one randomization audit row, and a participant is 'randomized' exactly when
 *   it has an allocation;
 * - one allocation per participant; within each stratum the slots are 0..n-1 without a gap, and the
 *   permuted blocks stay balanced (never more than half the largest block apart, equal at each
 *   block's end);
 * - the audit hash chain verifies.
 */
export async function checkInvariants(db: Database, acks: AcknowledgedWrites = { enrolled: [], randomized: [] }): Promise<InvariantReport> {
  // One snapshot for every read: requests still finishing in the server must not commit between
  // reading the allocations and reading the audit log (which would look like a half-written write).
  return db.transaction((tx) => checkSnapshot(tx, acks), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

async function checkSnapshot(db: Tx, acks: AcknowledgedWrites): Promise<InvariantReport> {
  const violations: string[] = [];
  const note = (v: string) => {
    if (violations.length < 50) violations.push(v);
  };

  const people = await db.select({ id: participants.id, status: participants.status }).from(participants);
  const allocs = await db.select().from(allocations).orderBy(asc(allocations.trialId), asc(allocations.mode), asc(allocations.period), asc(allocations.stratumKey), asc(allocations.slotIndex));
  const statusOf = new Map(people.map((p) => [p.id, p.status]));
  const allocated = new Map<string, number>();
  for (const a of allocs) allocated.set(a.participantId, (allocated.get(a.participantId) ?? 0) + 1);

  for (const id of acks.enrolled) if (!statusOf.has(id)) note(`acknowledged enrollment ${id} is missing`);
  for (const id of acks.randomized) if (!allocated.has(id)) note(`acknowledged randomization of ${id} has no allocation`);

  for (const [id, n] of allocated) {
    if (n > 1) note(`participant ${id} has ${n} allocations`);
    if (statusOf.get(id) !== 'randomized') note(`participant ${id} has an allocation but status ${statusOf.get(id)}`);
  }
  for (const p of people) if (p.status === 'randomized' && !allocated.has(p.id)) note(`participant ${p.id} is 'randomized' without an allocation`);

  const auditCounts = async (action: string) => {
    const rows = await db
      .select({ entityId: auditLog.entityId, n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityType, 'participant')))
      .groupBy(auditLog.entityId);
    return new Map(rows.map((r) => [r.entityId ?? '', r.n]));
  };
  const enrolledAudit = await auditCounts('participant.enrolled');
  const randomizedAudit = await auditCounts('participant.randomized');
  for (const p of people) if (enrolledAudit.get(p.id) !== 1) note(`participant ${p.id} has ${enrolledAudit.get(p.id) ?? 0} enrollment audit rows`);
  for (const id of enrolledAudit.keys()) if (!statusOf.has(id)) note(`enrollment audited for ${id}, which does not exist`);
  for (const id of allocated.keys()) if (randomizedAudit.get(id) !== 1) note(`allocation of ${id} has ${randomizedAudit.get(id) ?? 0} randomization audit rows`);
  for (const id of randomizedAudit.keys()) if (!allocated.has(id)) note(`randomization audited for ${id}, which has no allocation`);

  const byStratum = new Map<string, typeof allocs>();
  for (const a of allocs) {
    // Each randomization period starts its strata's blocks afresh.
    const key = `${a.trialId}/${a.mode}/${a.period}/${a.stratumKey}`;
    byStratum.set(key, [...(byStratum.get(key) ?? []), a]);
  }
  for (const [stratum, list] of byStratum) {
    const counts = new Map<string, number>();
    list.forEach((row, i) => {
      if (row.slotIndex !== i) note(`${stratum}: slot ${i} holds index ${row.slotIndex} (skipped or used twice)`);
      counts.set(row.arm, (counts.get(row.arm) ?? 0) + 1);
      const p = row.provenance as { blockSize?: number; positionInBlock?: number };
      if (p.blockSize === undefined || p.positionInBlock === undefined) return; // minimization: no blocks
      const values = [...counts.values()];
      const spread = Math.max(...values) - (counts.size < 2 ? 0 : Math.min(...values));
      if (spread > p.blockSize / 2) note(`${stratum}: imbalance ${values.join('-')} at slot ${i}`);
      if (p.positionInBlock === p.blockSize - 1 && (counts.size === 1 || new Set(values).size !== 1)) note(`${stratum}: unequal ${values.join('-')} at the end of a block (slot ${i})`);
    });
  }

  const chain = await verifyAuditChain({ db });
  if (!chain.ok) note(`audit chain broken at row ${chain.firstBadRowId} (${chain.reason})`);
  return { participants: people.length, allocations: allocs.length, auditRows: chain.rowsChecked, violations };
}
