import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type DatabaseHandle } from '../../db/client';
import { createContentStore, sha256Hex } from '../../imaging/storage/content-store';
import { findPostgresBinDir, startPostgres, type PostgresServer } from '../../scripts/lib/postgres-server.mjs';
import { verifyAuditChain } from '../../server/domain/audit/verify-audit-chain';
import { createBackup } from '../../server/domain/backup/create-backup';
import { restoreBackup } from '../../server/domain/backup/restore-backup';
import { sqlRows } from '../../server/domain/backup/sql-rows';
import { verifyBackup } from '../../server/domain/backup/verify-backup';
import { callerFor, type DemoUsers } from './support/callers';
import { seedDemoForTest } from './support/demo';
import { enrollDemoParticipant } from './support/enrollment';
import { attachTinyStudy } from './support/review-cases';

// The embedded database's way to a PostgreSQL server, and back: backup on PGlite, restore on
// PostgreSQL 15 (the test server, or a throwaway one started here), backup there, restore into a
// new PGlite; every table must hold the same rows at each step.

const tmp = (name: string) => mkdtempSync(path.join(os.tmpdir(), `segtrial-backup-pg-${name}-`));
const storageRoot = tmp('store');
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const store = createContentStore(storageRoot);

let ownServer: PostgresServer | undefined;
let source: DatabaseHandle;
let server: DatabaseHandle;
let serverUrl: string;
let fixture: { trialId: string; users: DemoUsers };

/** Every table's rows, rendered by PostgreSQL in UTC and sorted: equal across drivers when the data is. */
async function tableContents(db: Database): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local timezone = 'UTC'`);
    const tables = await sqlRows<{ name: string }>(tx, sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`);
    for (const { name } of tables) out[name] = (await sqlRows<{ line: string }>(tx, sql.raw(`select row_to_json(t)::text as line from "${name}" t`))).map((r) => r.line).sort();
  });
  return out;
}

beforeAll(async () => {
  source = await openDatabase({ driver: 'pglite' });
  await source.migrate();
  fixture = await seedDemoForTest(source.db);
  const coordinator = callerFor(source.db, fixture.users.coordinator);
  for (let i = 0; i < 4; i++) {
    const p = await enrollDemoParticipant(source.db, fixture, { siteCode: i % 2 ? 'site-a' : 'site-b' });
    await coordinator.participants.randomize({ trialId: fixture.trialId, participantId: p.id });
    if (i === 0) await attachTinyStudy(source.db, fixture, { store, participantId: p.id, segment: false });
  }

  const target = await createServerDatabase();
  serverUrl = target.url;
  server = await openDatabase({ driver: 'postgres', url: serverUrl, maxConnections: 4 });
}, 600_000);

afterAll(async () => {
  await source?.close();
  await server?.close();
  for (const drop of drops) await drop();
  ownServer?.destroy();
});

const drops: (() => Promise<void>)[] = [];

/** A new, empty database on the test PostgreSQL server (DATABASE_URL), or on one started here. */
async function createServerDatabase(): Promise<{ url: string }> {
  let baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    ownServer ??= await startPostgres();
    baseUrl = ownServer.url;
  }
  const name = `segtrial_backup_${randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  drops.push(async () => {
    const dropper = postgres(baseUrl, { max: 1, onnotice: () => {} });
    await dropper.unsafe(`drop database if exists ${name} with (force)`);
    await dropper.end();
  });
  return { url: url.toString() };
}

describe('backup and restore across drivers', () => {
  it('moves the embedded database to PostgreSQL and back with every row, object and the audit chain intact', async () => {
    const original = await tableContents(source.db);
    expect(original.allocations).toHaveLength(4);
    expect(original.study_volumes!.length).toBeGreaterThan(0);

    const fromPglite = path.join(tmp('b1'), 'backup');
    const m1 = await createBackup({ db: source.db, driver: 'pglite', store, outDir: fromPglite });
    expect(m1.source.driver).toBe('pglite');

    const serverStore = createContentStore(tmp('server-store'));
    await restoreBackup({ db: server.db, store: serverStore, dir: fromPglite });
    expect(await tableContents(server.db)).toEqual(original);
    expect(await verifyAuditChain({ db: server.db })).toMatchObject({ ok: true, headHash: m1.audit.headHash });
    for (const o of m1.objects.list) expect(sha256Hex(await serverStore.get(o.sha256))).toBe(o.sha256);
    // The restored server database is live: a new write chains onto the restored audit trail.
    const p = await enrollDemoParticipant(server.db, fixture, { siteCode: 'site-a' });
    expect(await verifyAuditChain({ db: server.db })).toMatchObject({ ok: true, rowsChecked: m1.audit.rows + 1 });

    const fromServer = path.join(tmp('b2'), 'backup');
    const pgDumpPath = path.join(findPostgresBinDir()!, 'pg_dump');
    const m2 = await createBackup({ db: server.db, driver: 'postgres', store: serverStore, outDir: fromServer, pgDump: { url: serverUrl, pgDumpPath } });
    expect(m2.source).toMatchObject({ driver: 'postgres', serverVersion: expect.stringMatching(/^1[5-9]/) });
    // pg_dump's archive of the same snapshot: pg_restore can read its table of contents.
    expect(m2.nativeDump).toMatchObject({ file: 'postgres.dump', tool: expect.stringContaining('pg_dump') });
    const toc = execFileSync(path.join(path.dirname(pgDumpPath), 'pg_restore'), ['--list', path.join(fromServer, 'postgres.dump')]).toString();
    expect(toc).toContain('TABLE DATA public audit_log');
    const copy = await createServerDatabase();
    execFileSync(path.join(path.dirname(pgDumpPath), 'pg_restore'), ['--no-owner', `--dbname=${copy.url}`, path.join(fromServer, 'postgres.dump')]);
    const copyHandle = await openDatabase({ driver: 'postgres', url: copy.url, maxConnections: 1 });
    try {
      expect(await tableContents(copyHandle.db)).toEqual(await tableContents(server.db));
    } finally {
      await copyHandle.close();
    }
    const verified = await verifyBackup({ dir: fromServer });
    expect(verified.ok ? null : verified.problem).toBeNull();

    const back = await openDatabase({ driver: 'pglite' });
    try {
      await restoreBackup({ db: back.db, store: createContentStore(tmp('back-store')), dir: fromServer });
      expect(await tableContents(back.db)).toEqual(await tableContents(server.db));
      const [row] = await sqlRows<{ n: string }>(back.db, sql`select count(*)::text as n from participants where id = ${p.id}`);
      expect(row!.n).toBe('1');
    } finally {
      await back.close();
    }
  });
});
