/**
 * Restores a backup folder into an empty database and an empty content store.
 *
 * Order, so that a failure leaves a target that can simply be restored into again: the whole
 * backup is checked first (manifest, table files, objects), then the target is checked to be empty
 * (a restore never merges into or overwrites live data), the schema is migrated to the backup's
 * version, the objects are copied (each hash checked again), the rows are loaded in one
 * transaction and compared with the backup, and only then do later migrations run. If loading
 * fails, the objects this restore created are removed again.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { createContentStore, sha256Hex, type ContentStore } from '@/imaging/storage/content-store';
import { readFile } from 'node:fs/promises';
import { BackupError } from './backup-error';
import { OBJECTS_DIR, type BackupManifest } from './backup-format';
import { checkRestoredDatabase } from './check-restored-database';
import { describeDatabase, readMigrationJournal } from './describe-database';
import { loadBackupIntoDatabase } from './load-backup-into-database';
import { migrateToVersion } from './migrate-to-version';
import { readBackup } from './read-backup';
import { quoteIdent, sqlRows } from './sql-rows';

export interface RestoreSummary {
  readonly manifest: BackupManifest;
  readonly rows: number;
  readonly objects: number;
  readonly auditRows: number;
}

export async function restoreBackup({ db, store, dir }: { db: Database; store: ContentStore; dir: string }): Promise<RestoreSummary> {
  const root = path.resolve(dir);
  const manifest = await readBackup(root);
  await assertEmptyDatabase(db, manifest);
  await assertEmptyStore(store);
  await migrateToVersion(db, manifest.schema.lastMigration);

  const source = createContentStore(path.join(root, OBJECTS_DIR));
  const created: string[] = [];
  let auditRows: number;
  try {
    for (const object of manifest.objects.list) {
      const bytes = new Uint8Array(await readFile(source.pathOf(object.sha256)));
      if (sha256Hex(bytes) !== object.sha256) throw new BackupError('OBJECT_CORRUPT', path.join(OBJECTS_DIR, object.sha256), 'changed while restoring');
      const stored = await store.put(bytes);
      if (stored.created) created.push(stored.path);
    }
    const loaded = await loadBackupIntoDatabase({ db, dir: root, manifest });
    ({ auditRows } = await checkRestoredDatabase({ db, manifest, loaded }));
  } catch (error) {
    await Promise.all(created.map((file) => rm(file, { force: true })));
    throw error;
  }
  await migrateToVersion(db);
  return { manifest, rows: manifest.tables.reduce((s, t) => s + t.rows, 0), objects: manifest.objects.count, auditRows };
}

/** No rows in any table, and no migration newer than the backup's (rows could not be loaded into it). */
export async function assertEmptyDatabase(db: Database, manifest: BackupManifest): Promise<void> {
  const description = await describeDatabase(db);
  if (description.schema) {
    const journal = readMigrationJournal();
    const target = journal.findIndex((e) => e.tag === description.schema!.lastMigration);
    const backup = journal.findIndex((e) => e.tag === manifest.schema.lastMigration);
    if (backup >= 0 && target > backup) {
      throw new BackupError(
        'TARGET_NOT_EMPTY',
        'target database schema',
        `is at ${description.schema.lastMigration}, newer than the backup's ${manifest.schema.lastMigration}; restore into a new, empty database`,
      );
    }
  }
  for (const table of description.tables) {
    const [row] = await sqlRows<{ n: string }>(db, sql.raw(`select count(*)::text as n from ${quoteIdent(table.name)}`));
    if (row && row.n !== '0') throw new BackupError('TARGET_NOT_EMPTY', `target table ${table.name}`, `holds ${row.n} rows; a restore goes into an empty database (it never merges or overwrites)`);
  }
}

async function assertEmptyStore(store: ContentStore): Promise<void> {
  const objectsRoot = path.join(store.root, 'sha256');
  let prefixes: string[];
  try {
    prefixes = await readdir(objectsRoot);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const prefix of prefixes) {
    const files = await readdir(path.join(objectsRoot, prefix)).catch(() => [] as string[]);
    if (files.length > 0)
      throw new BackupError('TARGET_NOT_EMPTY', `target storage ${store.root}`, `already holds objects (e.g. ${path.join(prefix, files[0]!)}); a restore goes into an empty storage folder`);
  }
}
