import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../db/client';
import { DataDirLockedError } from '../../db/data-dir-lock';
import { createContentStore } from '../../imaging/storage/content-store';
import { findPostgresBinDir } from '../../scripts/lib/postgres-server.mjs';
import { BackupError } from '../../server/domain/backup/backup-error';
import { createBackup } from '../../server/domain/backup/create-backup';
import { restoreBackup } from '../../server/domain/backup/restore-backup';
import { verifyBackup } from '../../server/domain/backup/verify-backup';
import { env } from '../../server/env';
import type { CliCommand } from '../command';
import { CliUsageError } from '../command';
import { withCliDatabase } from '../database';

const USAGE = ['usage: segtrial backup create --out DIR [--base PREVIOUS_DIR] [--json]', '       segtrial backup verify DIR [--json]', '       segtrial backup restore DIR'].join('\n');

/** Debian's newest installed PostgreSQL client (the server's major version or newer reads it). */
function findPgDump(): string | null {
  const binDir = findPostgresBinDir();
  const candidate = binDir ? path.join(binDir, 'pg_dump') : '/usr/bin/pg_dump';
  return existsSync(candidate) ? candidate : null;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function create(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { out: { type: 'string' }, base: { type: 'string' }, json: { type: 'boolean', default: false } } });
  if (!values.out) throw new CliUsageError(USAGE);
  const config = env();
  const pgDumpPath = config.DATABASE_URL ? findPgDump() : null;
  if (config.DATABASE_URL && !pgDumpPath) console.error('segtrial backup: pg_dump not found (apt-get install postgresql-client): writing the driver-neutral backup without a native archive.');
  const pgDump = config.DATABASE_URL && pgDumpPath ? { url: config.DATABASE_URL, pgDumpPath } : undefined;
  const manifest = await withCliDatabase(({ db, driver }) => createBackup({ db, driver, store: createContentStore(config.SEGTRIAL_STORAGE_ROOT), outDir: values.out!, baseDir: values.base, pgDump }));
  if (values.json) console.log(JSON.stringify({ ...manifest, objects: { ...manifest.objects, list: undefined } }, null, 2));
  else {
    const rows = manifest.tables.reduce((s, t) => s + t.rows, 0);
    console.log(
      `Backup written to ${path.resolve(values.out)}: snapshot ${manifest.snapshotStartedAt} (${manifest.source.driver}, schema ${manifest.schema.lastMigration}), ` +
        `${rows} rows in ${manifest.tables.length} tables, audit head ${manifest.audit.headHash.slice(0, 16)}…, ` +
        `${manifest.objects.count} objects (${mib(manifest.objects.bytes)}, ${manifest.objects.reused} reused from the base)` +
        `${manifest.nativeDump ? `, ${manifest.nativeDump.file} (${mib(manifest.nativeDump.bytes)}, ${manifest.nativeDump.tool})` : ''}. Manifest ${manifest.manifestSha256}.`,
    );
    console.log(`Next: segtrial backup verify ${values.out}`);
  }
  return 0;
}

async function verify(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  const [dir] = positionals;
  if (!dir || positionals.length > 1) throw new CliUsageError(USAGE);
  const result = await verifyBackup({ dir });
  if (values.json) console.log(JSON.stringify(result.ok ? { ok: true, auditRows: result.auditRows, record: result.record } : result, null, 2));
  else if (result.ok) {
    console.log(
      `Backup verified: manifest, ${result.manifest.tables.length} table files and ${result.manifest.objects.count} objects match their hashes; restored into a scratch database, every row matches and the audit chain (${result.auditRows} rows) ends at the recorded head.`,
    );
  } else console.log(`Backup FAILED verification: ${result.problem}`);
  return result.ok ? 0 : 1;
}

async function restore(argv: readonly string[]): Promise<number> {
  const { positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: {} });
  const [dir] = positionals;
  if (!dir || positionals.length > 1) throw new CliUsageError(USAGE);
  const config = env();
  // Not openCliDatabase: that would migrate to the newest schema first, and the rows must be loaded
  // at the backup's own schema version (restoreBackup migrates before and after).
  const handle = await openDatabase(config.DATABASE_URL ? { driver: 'postgres', url: config.DATABASE_URL, maxConnections: 2 } : { driver: 'pglite', dataDir: config.SEGTRIAL_DATA_DIR });
  try {
    const summary = await restoreBackup({ db: handle.db, store: createContentStore(config.SEGTRIAL_STORAGE_ROOT), dir });
    console.log(
      `Restored ${summary.rows} rows and ${summary.objects} objects from the snapshot of ${summary.manifest.snapshotStartedAt} into the ${handle.driver} database ` +
        `and ${config.SEGTRIAL_STORAGE_ROOT}; audit chain verified (${summary.auditRows} rows). The app can start on it now.`,
    );
  } finally {
    await handle.close();
  }
  return 0;
}

const command: CliCommand = {
  name: 'backup',
  summary: 'backup create|verify|restore: consistent snapshots of database and images, checked and restorable',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    try {
      if (sub === 'create') return await create(rest);
      if (sub === 'verify') return await verify(rest);
      if (sub === 'restore') return await restore(rest);
    } catch (error) {
      // Expected failures print one line naming the problem, not a stack.
      if (error instanceof BackupError || error instanceof DataDirLockedError) throw new CliUsageError(error.message, 1);
      throw error;
    }
    throw new CliUsageError(USAGE);
  },
};
export default command;
