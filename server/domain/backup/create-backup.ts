/**
 * Creates a backup folder (layout in backup-format.ts) from a live database and content store.
 *
 * Consistency: every table is read inside one REPEATABLE READ, READ ONLY transaction, so all rows
 * come from one snapshot, the mechanism pg_dump itself uses; the app keeps serving meanwhile (no
 * locks beyond those any reader takes). Objects are copied after the snapshot: the store only
 * grows and every object is written before the row that names it commits, so each object the
 * snapshot references is already there. Each one is hashed on the way and a mismatch fails the
 * backup. The manifest is written last (atomically), so a folder without one is not a backup.
 *
 * Incremental images: with `baseDir`, objects already in that earlier backup (and still matching
 * their hash) are hard-linked rather than copied, so every backup folder stays complete on its own
 * and can be deleted independently, while unchanged images take no new space.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, link, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '@/db/client';
import { createContentStore, sha256Hex, type ContentStore } from '@/imaging/storage/content-store';
import { BackupError } from './backup-error';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, MANIFEST_FILE, OBJECTS_DIR, type BackupManifest, type BackupTable, type UnsignedManifest } from './backup-format';
import { describeDatabase } from './describe-database';
import { digestTap, fileDigest } from './file-digest';
import { manifestHash } from './manifest-hash';
import { OBJECT_COLUMNS } from './object-columns';
import { setRenderingSettings } from './rendering-settings';
import { quoteIdent, sqlRows } from './sql-rows';

export interface CreateBackupOptions {
  readonly db: Database;
  readonly driver: 'pglite' | 'postgres';
  readonly store: ContentStore;
  /** New or empty folder. */
  readonly outDir: string;
  /** An earlier backup folder whose objects may be reused. */
  readonly baseDir?: string;
  /** Rows fetched per round trip. */
  readonly batchRows?: number;
  /** Called once the snapshot is taken (tests start writing against the live app here). */
  readonly onSnapshot?: (startedAt: Date) => void;
  /** PostgreSQL: also write pg_dump's archive of the same snapshot (connection URL and pg_dump's path). */
  readonly pgDump?: { readonly url: string; readonly pgDumpPath: string };
}

const HEX64 = /[0-9a-f]{64}/g;

export async function createBackup(options: CreateBackupOptions): Promise<BackupManifest> {
  const outDir = path.resolve(options.outDir);
  await assertEmptyFolder(outDir);
  await mkdir(path.join(outDir, 'db'), { recursive: true });
  // The backup holds everything in the database, randomization secrets included.
  await chmod(outDir, 0o700);

  const snapshot = await options.db.transaction((tx) => exportSnapshot(tx, outDir, options), { isolationLevel: 'repeatable read', accessMode: 'read only' });
  const objects = await copyObjects(options.store, outDir, snapshot.required, snapshot.candidates, options.baseDir);

  const unsigned: UnsignedManifest = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    snapshotStartedAt: snapshot.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    source: { driver: options.driver, serverVersion: snapshot.serverVersion },
    schema: snapshot.schema,
    tables: snapshot.tables,
    sequences: snapshot.sequences,
    audit: snapshot.audit,
    objects: { ...objects, base: options.baseDir ? path.resolve(options.baseDir) : null },
    nativeDump: snapshot.nativeDump,
  };
  const manifest: BackupManifest = { ...unsigned, manifestSha256: manifestHash(unsigned) };
  const tmp = path.join(outDir, `.${MANIFEST_FILE}.tmp`);
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, path.join(outDir, MANIFEST_FILE));
  return manifest;
}

async function assertEmptyFolder(dir: string): Promise<void> {
  try {
    const entries = await readdir(dir);
    if (entries.length > 0) throw new BackupError('OUTPUT_NOT_EMPTY', dir, `holds ${entries.length} entries; a backup goes into a new or empty folder`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

interface Snapshot {
  startedAt: Date;
  nativeDump: UnsignedManifest['nativeDump'];
  serverVersion: string;
  schema: UnsignedManifest['schema'];
  tables: BackupTable[];
  sequences: UnsignedManifest['sequences'];
  audit: UnsignedManifest['audit'];
  /** Object hashes from OBJECT_COLUMNS, with where each was first seen. */
  required: Map<string, string>;
  /** Every other 64-hex string seen in any row. */
  candidates: Set<string>;
}

async function exportSnapshot(tx: Tx, outDir: string, options: CreateBackupOptions): Promise<Snapshot> {
  // The snapshot is taken by the transaction's first statement: whatever committed before this
  // instant is in it.
  const startedAt = new Date();
  await setRenderingSettings(tx);
  const [version] = await sqlRows<{ v: string }>(tx, sql`select current_setting('server_version') as v`);
  options.onSnapshot?.(startedAt);
  // pg_dump reads the same snapshot, exported by this transaction, which stays open until it is done.
  const nativeDump = options.pgDump && options.driver === 'postgres' ? runPgDump(tx, outDir, options.pgDump) : Promise.resolve(null);
  // Without this, a failed table export would leave pg_dump's rejection unhandled.
  nativeDump.catch(() => {});
  const description = await describeDatabase(tx);
  if (!description.schema) throw new BackupError('SCHEMA_UNKNOWN', 'database', 'has no applied migrations: there is nothing to back up');

  const required = new Map<string, string>();
  const candidates = new Set<string>();
  const tables: BackupTable[] = [];
  for (const table of description.tables) {
    const objectColumns = OBJECT_COLUMNS.filter((c) => c.table === table.name).map((c) => c.column);
    const file = path.join('db', `${table.name}.jsonl.gz`);
    let rows = 0;
    const lines = async function* () {
      await tx.execute(sql.raw(`declare segtrial_backup no scroll cursor for select row_to_json(t)::text as line from ${quoteIdent(table.name)} t`));
      for (;;) {
        const batch = await sqlRows<{ line: string }>(tx, sql.raw(`fetch forward ${options.batchRows ?? 1000} from segtrial_backup`));
        if (batch.length === 0) break;
        let chunk = '';
        for (const { line } of batch) {
          rows++;
          for (const match of line.match(HEX64) ?? []) candidates.add(match);
          if (objectColumns.length > 0) {
            const row = JSON.parse(line) as Record<string, unknown>;
            for (const column of objectColumns) {
              const value = row[column];
              if (typeof value === 'string' && !required.has(value)) required.set(value, `${table.name}.${column}`);
            }
          }
          chunk += `${line}\n`;
        }
        yield chunk;
      }
      await tx.execute(sql.raw('close segtrial_backup'));
    };
    const tap = digestTap();
    await pipeline(Readable.from(lines()), createGzip(), tap, createWriteStream(path.join(outDir, file)));
    tables.push({ name: table.name, file, rows, ...tap.digest(), selfReferences: table.selfReferences });
  }

  const sequences: { name: string; lastValue: string | null }[] = [];
  for (const name of description.sequences) {
    const [row] = await sqlRows<{ last_value: string | null; is_called: boolean }>(tx, sql.raw(`select last_value::text as last_value, is_called from ${quoteIdent(name)}`));
    sequences.push({ name, lastValue: row?.is_called ? row.last_value : null });
  }
  const [head] = await sqlRows<{ id: string | number; hash: string }>(tx, sql`select id, hash from audit_log order by id desc limit 1`);
  const auditRows = tables.find((t) => t.name === 'audit_log')?.rows ?? 0;
  for (const hash of required.keys()) candidates.delete(hash);
  return {
    nativeDump: await nativeDump,
    startedAt,
    serverVersion: version?.v ?? 'unknown',
    schema: description.schema,
    tables,
    sequences,
    audit: { rows: auditRows, headHash: head?.hash ?? '', lastId: head ? Number(head.id) : null },
    required,
    candidates,
  };
}

async function copyObjects(store: ContentStore, outDir: string, required: Map<string, string>, candidates: Set<string>, baseDir?: string) {
  const target = createContentStore(path.join(outDir, OBJECTS_DIR));
  const base = baseDir ? createContentStore(path.join(path.resolve(baseDir), OBJECTS_DIR)) : null;
  const list: { sha256: string; bytes: number }[] = [];
  let reused = 0;
  let total = 0;
  const wanted = [...[...required.keys()].map((h) => [h, true] as const), ...[...candidates].map((h) => [h, false] as const)].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [sha256, mustExist] of wanted) {
    if (base && (await base.has(sha256)) && (await hashOfFile(base.pathOf(sha256))) === sha256) {
      const dest = target.pathOf(sha256);
      await mkdir(path.dirname(dest), { recursive: true });
      try {
        await link(base.pathOf(sha256), dest);
        const bytes = (await stat(dest)).size;
        list.push({ sha256, bytes });
        total += bytes;
        reused++;
        continue;
      } catch (error) {
        // Another file system: fall back to copying from the store.
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      }
    }
    if (!(await store.has(sha256))) {
      if (mustExist) throw new BackupError('OBJECT_MISSING', `${required.get(sha256)} ${sha256}`, `is referenced by the database but not in the content store at ${store.root}`);
      continue;
    }
    const bytes = new Uint8Array(await readFile(store.pathOf(sha256)));
    const actual = sha256Hex(bytes);
    if (actual !== sha256) throw new BackupError('OBJECT_CORRUPT', store.pathOf(sha256), `hashes to ${actual}; the store's copy of this object is damaged`);
    await target.put(bytes);
    list.push({ sha256, bytes: bytes.length });
    total += bytes.length;
  }
  return { count: list.length, bytes: total, reused, list };
}

const execFileAsync = promisify(execFile);

async function runPgDump(tx: Tx, outDir: string, { url, pgDumpPath }: { url: string; pgDumpPath: string }): Promise<UnsignedManifest['nativeDump']> {
  const [exported] = await sqlRows<{ id: string }>(tx, sql`select pg_export_snapshot() as id`);
  const file = 'postgres.dump';
  await execFileAsync(pgDumpPath, ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${exported!.id}`, `--file=${path.join(outDir, file)}`, `--dbname=${url}`], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const { stdout } = await execFileAsync(pgDumpPath, ['--version']);
  return { file, ...(await fileDigest(path.join(outDir, file))), tool: stdout.trim() };
}

async function hashOfFile(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}
