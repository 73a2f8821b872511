import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { createContentStore, sha256Hex } from '../../imaging/storage/content-store';
import { verifyAuditChain } from '../../server/domain/audit/verify-audit-chain';
import type { BackupManifest } from '../../server/domain/backup/backup-format';
import { createBackup } from '../../server/domain/backup/create-backup';
import { manifestHash } from '../../server/domain/backup/manifest-hash';
import { restoreBackup } from '../../server/domain/backup/restore-backup';
import { sqlRows } from '../../server/domain/backup/sql-rows';
import { verifyBackup } from '../../server/domain/backup/verify-backup';
import type { DemoUsers } from './support/callers';
import { callerFor } from './support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { createReviewCase, registerTestModel } from './support/review-cases';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

const tmp = (name: string) => mkdtempSync(path.join(os.tmpdir(), `segtrial-backup-${name}-`));
const storageRoot = tmp('store');
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const store = createContentStore(storageRoot);

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
let backupDir: string;
let manifest: BackupManifest;

const decision = { tumourPresent: true, suspectedGrade: 'high', managementPlan: 'resection', probabilityHighGrade: 80, confidence: 4, note: 'Ring-enhancing lesion.' } as const;

async function countRows(db: Parameters<typeof sqlRows>[0], table: string): Promise<number> {
  const [row] = await sqlRows<{ n: string }>(db, sql.raw(`select count(*)::text as n from "${table}"`));
  return Number(row!.n);
}

/** A copy of the backup folder to damage (hard links would share the damage with the original). */
function copyOf(dir: string): string {
  const copy = path.join(tmp('copy'), 'backup');
  execFileSync('cp', ['-r', dir, copy]);
  return copy;
}

beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  await registerTestModel(handle.db, store);
  const assisted = await createReviewCase(handle.db, fixture, { store, arm: 'ai_assisted' });
  await createReviewCase(handle.db, fixture, { store, arm: 'control', segment: false });
  // A signed decision and its correction: signatures, and a table that references itself.
  const clinician = callerFor(handle.db, fixture.users.clinician);
  await clinician.review.open({ caseId: assisted.caseId });
  await clinician.review.reviewSegmentation({ caseId: assisted.caseId, outcome: 'accepted' });
  const signed = await clinician.review.sign({ caseId: assisted.caseId, decision, password: DEMO_PASSWORD });
  await clinician.review.correct({
    caseId: assisted.caseId,
    supersedesId: signed.decisionId,
    decision: { ...decision, probabilityHighGrade: 60 },
    reason: 'Re-read the T1gd.',
    password: DEMO_PASSWORD,
  });

  backupDir = path.join(tmp('out'), 'b1');
  manifest = await createBackup({ db: handle.db, driver: handle.driver, store, outDir: backupDir, batchRows: 7 });
}, 900_000);
afterAll(() => handle.close());

describe(`backup create (${TEST_DRIVER})`, () => {
  it('records the schema version, row counts, audit head and every referenced object', async () => {
    expect(manifest.schema.lastMigration).toMatch(/^\d{4}_/);
    for (const table of manifest.tables) expect(table.rows, table.name).toBe(await countRows(handle.db, table.name));
    const chain = await verifyAuditChain({ db: handle.db });
    expect(chain.ok).toBe(true);
    expect(manifest.audit).toMatchObject({ rows: chain.rowsChecked, headHash: chain.ok ? chain.headHash : '' });
    const referenced = await sqlRows<{ h: string }>(
      handle.db,
      sql`select sha256 as h from study_volumes union select original_sha256 from study_volumes union select sha256 from models union select labels_sha256 from segmentations`,
    );
    const listed = new Set(manifest.objects.list.map((o) => o.sha256));
    for (const { h } of referenced) expect(listed.has(h), h).toBe(true);
    expect(manifest.objects.bytes).toBe(manifest.objects.list.reduce((s, o) => s + o.bytes, 0));
    expect(manifestHash(manifest)).toBe(manifest.manifestSha256);
    // Load order: a table after those it references.
    const order = manifest.tables.map((t) => t.name);
    expect(order.indexOf('participants')).toBeLessThan(order.indexOf('allocations'));
    expect(manifest.tables.find((t) => t.name === 'clinician_decisions')?.selfReferences).toEqual([{ columns: ['supersedes_id'], refColumns: ['id'] }]);
  });

  it('refuses a folder that is not empty', async () => {
    await expect(createBackup({ db: handle.db, driver: handle.driver, store, outDir: backupDir })).rejects.toMatchObject({ code: 'OUTPUT_NOT_EMPTY' });
  });

  it('with --base, reuses the earlier backup’s objects as hard links instead of copying them', async () => {
    const next = await createBackup({ db: handle.db, driver: handle.driver, store, outDir: path.join(tmp('inc'), 'b2'), baseDir: backupDir });
    expect(next.objects.count).toBe(manifest.objects.count);
    expect(next.objects.reused).toBe(manifest.objects.count);
    const first = manifest.objects.list[0]!.sha256;
    const inode = (dir: string) => statSync(path.join(dir, 'objects', 'sha256', first.slice(0, 2), first)).ino;
    expect(inode(path.join(path.dirname(next.objects.base!), path.basename(next.objects.base!)))).toBe(inode(backupDir));
  });
});

describe(`backup verify (${TEST_DRIVER})`, () => {
  it('passes a whole backup after restoring it into a scratch database, and records it', async () => {
    const result = await verifyBackup({ dir: backupDir });
    expect(result.ok ? null : result.problem).toBeNull();
    const record = JSON.parse(readFileSync(path.join(backupDir, 'verification.json'), 'utf8')) as { ok: boolean; manifestSha256: string };
    expect(record).toMatchObject({ ok: true, manifestSha256: manifest.manifestSha256 });
  });

  it('catches a corrupted object and names it', async () => {
    const dir = copyOf(backupDir);
    const victim = manifest.objects.list.find((o) => o.bytes > 100)!;
    const file = path.join(dir, 'objects', 'sha256', victim.sha256.slice(0, 2), victim.sha256);
    const bytes = readFileSync(file);
    bytes[50] = bytes[50]! ^ 0xff;
    writeFileSync(file, bytes);
    const result = await verifyBackup({ dir });
    expect(result).toMatchObject({ ok: false, code: 'OBJECT_CORRUPT' });
    expect(!result.ok && result.problem).toContain(victim.sha256);
  });

  it('catches a truncated dump and names the file', async () => {
    const dir = copyOf(backupDir);
    const file = path.join(dir, 'db', 'audit_log.jsonl.gz');
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await verifyBackup({ dir })).toMatchObject({ ok: false, code: 'FILE_CORRUPT', problem: expect.stringContaining('db/audit_log.jsonl.gz') });
  });

  it('catches rows cut from a dump even when the manifest was re-signed to match the file', async () => {
    const dir = copyOf(backupDir);
    const file = path.join(dir, 'db', 'allocations.jsonl.gz');
    const lines = gunzipSync(readFileSync(file)).toString().split('\n').filter(Boolean);
    const cut = gzipSync(`${lines.slice(0, -1).join('\n')}\n`);
    writeFileSync(file, cut);
    const forged = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
    const tables = forged.tables.map((t) => (t.name === 'allocations' ? { ...t, bytes: cut.length, sha256: sha256Hex(cut) } : t));
    const resigned = { ...forged, tables, manifestSha256: '' };
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...resigned, manifestSha256: manifestHash(resigned) }));
    expect(await verifyBackup({ dir })).toMatchObject({ ok: false, code: 'ROW_COUNT_MISMATCH', problem: expect.stringContaining('allocations') });
  });

  it('catches a manifest changed after the backup', async () => {
    const dir = copyOf(backupDir);
    const edited = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...edited, audit: { ...edited.audit, rows: edited.audit.rows + 1 } }));
    expect(await verifyBackup({ dir })).toMatchObject({ ok: false, code: 'MANIFEST_INVALID' });
  });
});

describe(`backup restore (${TEST_DRIVER} backup into embedded PGlite)`, () => {
  it('restores every row and object into an empty database and storage; the audit chain verifies', async () => {
    const target = await openDatabase({ driver: 'pglite' });
    const targetStore = createContentStore(tmp('restored-store'));
    try {
      const summary = await restoreBackup({ db: target.db, store: targetStore, dir: backupDir });
      expect(summary.objects).toBe(manifest.objects.count);
      for (const table of manifest.tables) expect(await countRows(target.db, table.name), table.name).toBe(table.rows);
      const chain = await verifyAuditChain({ db: target.db });
      expect(chain).toMatchObject({ ok: true, rowsChecked: manifest.audit.rows, headHash: manifest.audit.headHash });
      for (const object of manifest.objects.list) expect(sha256Hex(await targetStore.get(object.sha256))).toBe(object.sha256);
      // Sequences continue after the restored rows: a new audit row chains on.
      const [next] = await sqlRows<{ id: string }>(target.db, sql`select nextval('audit_log_id_seq')::text as id`);
      expect(Number(next!.id)).toBeGreaterThan(manifest.audit.lastId!);

      await expect(restoreBackup({ db: target.db, store: createContentStore(tmp('other-store')), dir: backupDir })).rejects.toMatchObject({ code: 'TARGET_NOT_EMPTY' });
    } finally {
      await target.close();
    }
  });

  it('refuses a storage folder that already holds objects, and leaves the database empty', async () => {
    const target = await openDatabase({ driver: 'pglite' });
    try {
      await expect(restoreBackup({ db: target.db, store, dir: backupDir })).rejects.toMatchObject({ code: 'TARGET_NOT_EMPTY', message: expect.stringContaining('storage') });
      const [row] = await sqlRows<{ n: string }>(target.db, sql`select count(*)::text as n from pg_tables where schemaname = 'public'`);
      expect(row!.n).toBe('0');
    } finally {
      await target.close();
    }
  });
});
