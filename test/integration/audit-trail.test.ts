import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, memberships, unblindings } from '../../db/schema';
import { callerFor, type DemoUsers } from './support/callers';
import { seedDemoForTest } from './support/demo';
import { enrollDemoParticipant } from './support/enrollment';
import { openTestDatabase } from './support/test-database';

const verifier = path.join(import.meta.dirname, '../../scripts/verify-audit-export.py');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'segtrial-audit-export-'));

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
const participantIds: string[] = [];

beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  for (let i = 0; i < 3; i++) {
    const p = await enrollDemoParticipant(handle.db, fixture);
    await as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id });
    participantIds.push(p.id);
  }
  await as('coordinator').participants.unblind({ trialId: fixture.trialId, participantId: participantIds[0]!, reason: 'Anaphylaxis, treating team needs the arm' });
}, 300_000);
afterAll(() => handle.close());

const as = (who: keyof DemoUsers) => callerFor(handle.db, fixture.users[who]);
const trialId = () => fixture.trialId;

describe('a reviewable audit trail', () => {
  it('names the actor, the record and the participant, old and new values, reason and signature', async () => {
    const page = await as('monitor').admin.auditTrail({ trialId: trialId(), participantId: participantIds[0] });
    const actions = page.rows.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['participant.enrolled', 'participant.randomized', 'participant.unblinded']));
    expect(page.rows.every((r) => r.participantId === participantIds[0])).toBe(true);
    const randomized = page.rows.find((r) => r.action === 'participant.randomized')!;
    expect(randomized).toMatchObject({
      actor: { username: 'coordinator', name: 'Cora Coordinator', role: 'coordinator' },
      recordId: participantIds[0],
      after: { arm: expect.any(String) },
      redacted: false,
    });
    expect(randomized.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(page.rows.find((r) => r.action === 'participant.unblinded')!.reason).toBe('Anaphylaxis, treating team needs the arm');
  });

  it('filters by who, what and when, pages with a cursor, and the viewing itself is audited', async () => {
    const byAction = await as('monitor').admin.auditTrail({ trialId: trialId(), action: 'participant.randomized' });
    expect(byAction.rows.map((r) => r.action)).toEqual(['participant.randomized', 'participant.randomized', 'participant.randomized']);
    const family = await as('monitor').admin.auditTrail({ trialId: trialId(), action: 'participant.' });
    expect(family.rows.every((r) => r.action.startsWith('participant.'))).toBe(true);
    expect((await as('monitor').admin.auditTrail({ trialId: trialId(), actor: 'Cora' })).rows.every((r) => r.actor.username === 'coordinator')).toBe(true);
    expect((await as('monitor').admin.auditTrail({ trialId: trialId(), from: '2000-01-01T00:00:00Z', to: '2000-12-31T00:00:00Z' })).rows).toEqual([]);

    const first = await as('monitor').admin.auditTrail({ trialId: trialId(), action: 'participant.', limit: 2 });
    expect(first.rows).toHaveLength(2);
    const second = await as('monitor').admin.auditTrail({ trialId: trialId(), action: 'participant.', limit: 2, beforeId: first.nextBeforeId! });
    expect(second.rows[0]!.id).toBeLessThan(first.rows[1]!.id);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(4);

    const viewed = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'audit.viewed'), eq(auditLog.actorUserId, fixture.users.monitor.id)));
    expect(viewed.length).toBeGreaterThanOrEqual(6);
    expect(viewed.at(-1)?.after).toMatchObject({ filters: { action: 'participant.', limit: 2 } });
    await expect(as('coordinator').admin.auditTrail({ trialId: trialId() })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('exports CSV and JSON with the chain hashes; an independent verifier checks every row offline and finds a changed one', async () => {
    const json = await as('monitor').admin.exportAuditTrail({ trialId: trialId(), format: 'json' });
    expect(json.rowCount).toBeGreaterThan(10);
    const file = path.join(tmp, json.filename);
    writeFileSync(file, json.content);
    expect(execFileSync('/usr/bin/python3', [verifier, file], { encoding: 'utf8' })).toMatch(new RegExp(`^ok: ${json.rowCount} rows, ${json.rowCount} verified`, 'm'));

    const tampered = JSON.parse(json.content) as { rows: { id: number; after: Record<string, unknown> | null; action: string }[] };
    const target = tampered.rows.find((r) => r.action === 'participant.randomized')!;
    target.after = { ...target.after, slotIndex: 99 };
    writeFileSync(file, JSON.stringify(tampered));
    let out = '';
    try {
      execFileSync('/usr/bin/python3', [verifier, file], { encoding: 'utf8' });
    } catch (error) {
      out = String((error as { stdout?: string }).stdout);
    }
    expect(out).toContain(`row ${target.id}: content does not match its hash`);

    const csv = await as('admin').admin.exportAuditTrail({ trialId: trialId(), format: 'csv', action: 'participant.randomized' });
    const lines = csv.content.trim().split('\n');
    expect(lines[0]).toContain('actor_name');
    expect(lines[0]).toContain('prev_hash');
    expect(lines).toHaveLength(4);
    const [exported] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'audit.exported'), eq(auditLog.actorUserId, fixture.users.admin.id)));
    expect(exported?.after).toMatchObject({ format: 'csv', rows: 3, lastHash: csv.lastHash });
  });

  it('a blinded monitor gets no allocation in the trail, no per-arm analysis and no arm in the participant list', async () => {
    await handle.db.update(memberships).set({ armAccess: 'blinded' }).where(eq(memberships.userId, fixture.users.monitor.id));
    try {
      const page = await as('monitor').admin.auditTrail({ trialId: trialId(), action: 'participant.randomized' });
      expect(page.blinded).toBe(true);
      for (const row of page.rows) {
        expect(row.redacted).toBe(true);
        expect(JSON.stringify(row.after)).not.toMatch(/"arm"|stratumKey/);
      }
      const exported = await as('monitor').admin.exportAuditTrail({ trialId: trialId(), format: 'json' });
      expect(exported.content).not.toMatch(/"arm":/);
      expect((await as('monitor').participants.list({ trialId: trialId() })).every((p) => p.arm === null)).toBe(true);
      const consort = await as('monitor').trials.consort({ trialId: trialId() });
      expect(consort.arms.map((a) => a.arm)).toEqual(['__blinded__']);
      await expect(as('monitor').analytics.report({ trialId: trialId() })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    } finally {
      await handle.db.update(memberships).set({ armAccess: null }).where(eq(memberships.userId, fixture.users.monitor.id));
    }
    // The same monitor unblinded (the role's default) sees the arms again.
    expect((await as('monitor').participants.list({ trialId: trialId() })).some((p) => p.arm !== null)).toBe(true);
  });

  it('a monitor acknowledges an emergency unblinding once; it is audited', async () => {
    const [u] = await as('monitor').trials.unblindings({ trialId: trialId() });
    expect(u).toMatchObject({ acknowledged: false, reason: 'Anaphylaxis, treating team needs the arm' });
    expect(await as('monitor').trials.acknowledgeUnblinding({ trialId: trialId(), unblindingId: u!.id })).toMatchObject({ created: true });
    expect(await as('monitor').trials.acknowledgeUnblinding({ trialId: trialId(), unblindingId: u!.id })).toMatchObject({ created: false });
    expect((await handle.db.select().from(unblindings).where(eq(unblindings.id, u!.id)))[0]!.acknowledgedByMonitor).toBe(true);
    expect(await handle.db.select().from(auditLog).where(eq(auditLog.action, 'unblinding.acknowledged'))).toHaveLength(1);
    await expect(as('coordinator').trials.acknowledgeUnblinding({ trialId: trialId(), unblindingId: u!.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
