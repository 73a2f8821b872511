import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client';
import { createContentStore, sha256Hex } from '../../imaging/storage/content-store';
import { freePort } from '../../scripts/lib/postgres-server.mjs';
import type { BackupManifest } from '../../server/domain/backup/backup-format';
import { sqlRows } from '../../server/domain/backup/sql-rows';
import { seedDemoForTest } from '../integration/support/demo';
import { createReviewCase } from '../integration/support/review-cases';
import { readFileSync } from 'node:fs';
import { REPO_ROOT, RELIABILITY_PASSWORD, startAppServer, type AppServer } from './support/app-server';
import { checkInvariants } from './support/check-invariants';
import { formatRoutes, serverErrorCounts, startWorkload } from './support/run-workload';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database';
import { httpLogin } from './support/trpc-http';

/** Seconds of load; the backup starts once the first write has committed, while the clients go on writing. */
const SECONDS = Number(process.env.RELIABILITY_BACKUP_SECONDS ?? 20);

const tmp = (name: string) => mkdtempSync(path.join(os.tmpdir(), `segtrial-rel-backup-${name}-`));

/** Runs the `segtrial` CLI as its own process against a database and storage folder. */
function segtrial(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/segtrial.mjs'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

let live: ScratchDatabase;
let restored: ScratchDatabase;
let server: AppServer | undefined;
let restoredServer: AppServer | undefined;
let liveDb: DatabaseHandle;
const liveStorage = tmp('live-store');
const restoredStorage = tmp('restored-store');
const backupRoot = tmp('backups');
const backupDir = path.join(backupRoot, 'b1');

async function countParticipants(handle: DatabaseHandle): Promise<number> {
  const [row] = await sqlRows<{ n: string }>(handle.db, sql`select count(*)::text as n from participants`);
  return Number(row!.n);
}

beforeAll(async () => {
  live = await createScratchDatabase();
  restored = await createScratchDatabase();
  server = await startAppServer({ port: await freePort(), database: { url: live.url }, storageRoot: liveStorage });
  liveDb = await live.open();
  // Images in the store: two tiny studies (their segmentation jobs run in the app meanwhile).
  const fixture = await seedDemoForTest(liveDb.db);
  const store = createContentStore(liveStorage);
  for (const arm of ['ai_assisted', 'control']) await createReviewCase(liveDb.db, fixture, { store, arm, segment: false });
}, 600_000);

afterAll(async () => {
  await server?.kill('SIGTERM');
  await restoredServer?.kill('SIGTERM');
  await live?.drop();
  await restored?.drop();
});

describe('backup while 50 clients write, restored on a fresh database and storage', () => {
  it('holds every write acknowledged before the snapshot, the audit chain verifies, every image reads back, and the app serves it', async () => {
    const workload = startWorkload({ url: server!.url, durationSeconds: SECONDS, connections: 50 });
    await workload.started;
    const enrolledBeforeLoad = await countParticipants(liveDb);
    const deadline = Date.now() + SECONDS * 1000;
    while ((await countParticipants(liveDb)) === enrolledBeforeLoad && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const created = await segtrial(['backup', 'create', '--out', backupDir], { DATABASE_URL: live.url, SEGTRIAL_STORAGE_ROOT: liveStorage });
    const result = await workload.done;
    const loadEndedAt = Date.now();
    console.log(`workload during the backup, 50 connections, ${result.seconds.toFixed(1)} s:\n${formatRoutes(result)}\n${created.output}`);
    expect(created.code, created.output).toBe(0);
    expect(serverErrorCounts(result), JSON.stringify(result.serverErrors.slice(0, 3))).toEqual({});
    const manifest = JSON.parse(readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as BackupManifest;
    const snapshotAt = Date.parse(manifest.snapshotStartedAt);
    expect(manifest.nativeDump?.file, 'pg_dump archive of the same snapshot').toBe('postgres.dump');
    const before = (ids: readonly string[], at: readonly number[]) => ids.filter((_, i) => at[i]! < snapshotAt);
    const enrolledBefore = before(result.acks.enrolled, result.acks.enrolledAt);
    const randomizedBefore = before(result.acks.randomized, result.acks.randomizedAt);
    // The snapshot was taken while the clients were writing, after some writes were acknowledged.
    expect(enrolledBefore.length + randomizedBefore.length).toBeGreaterThan(0);
    expect(snapshotAt).toBeLessThan(loadEndedAt);
    console.log(
      `backup under load: snapshot after ${enrolledBefore.length}/${result.acks.enrolled.length} acknowledged enrollments and ${randomizedBefore.length}/${result.acks.randomized.length} randomizations; ` +
        `${manifest.tables.reduce((s, t) => s + t.rows, 0)} rows, ${manifest.audit.rows} audit rows, ${manifest.objects.count} objects (${(manifest.objects.bytes / 1048576).toFixed(1)} MiB), ` +
        `${Date.parse(manifest.finishedAt) - snapshotAt} ms from snapshot to manifest`,
    );

    const verified = await segtrial(['backup', 'verify', backupDir], {});
    expect(verified.code, verified.output).toBe(0);
    const restoredRun = await segtrial(['backup', 'restore', backupDir], { DATABASE_URL: restored.url, SEGTRIAL_STORAGE_ROOT: restoredStorage });
    expect(restoredRun.code, restoredRun.output).toBe(0);
    // A second restore onto the now non-empty target is refused.
    const again = await segtrial(['backup', 'restore', backupDir], { DATABASE_URL: restored.url, SEGTRIAL_STORAGE_ROOT: tmp('other-store') });
    expect(again.code).toBe(1);
    expect(again.output).toContain('holds');

    const db = await restored.open();
    const report = await checkInvariants(db.db, { enrolled: enrolledBefore, randomized: randomizedBefore });
    expect(report.violations).toEqual([]);
    expect(report.auditRows).toBe(manifest.audit.rows);
    const restoredStore = createContentStore(restoredStorage);
    const referenced = await sqlRows<{ h: string }>(
      db.db,
      sql`select sha256 as h from study_volumes union select original_sha256 from study_volumes union select sha256 from models union select labels_sha256 from segmentations`,
    );
    expect(referenced.length).toBeGreaterThan(8);
    for (const { h } of referenced) expect(sha256Hex(await restoredStore.get(h)), h).toBe(h);

    // The app starts on the restored data; each role's home page and the API answer.
    restoredServer = await startAppServer({ port: await freePort(), database: { url: restored.url }, storageRoot: restoredStorage, env: { SEGTRIAL_BACKUP_DIR: backupRoot } });
    for (const role of ['admin', 'coordinator', 'clinician', 'statistician', 'monitor']) {
      const cookie = await httpLogin(restoredServer.url, role, RELIABILITY_PASSWORD);
      const page = await fetch(`${restoredServer.url}/${role}`, { headers: { cookie } });
      expect(page.status, role).toBe(200);
      if (role === 'admin') expect(await page.text()).toContain('last verified backup');
    }
  });
});
