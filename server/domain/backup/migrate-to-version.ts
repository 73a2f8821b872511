import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS_FOLDER, type Database } from '@/db/client';
import { BackupError } from './backup-error';
import { readMigrationJournal } from './describe-database';

interface MigratingDatabase {
  dialect: { migrate(migrations: unknown, session: unknown, config: { migrationsFolder: string }): Promise<void> };
  session: unknown;
}

/**
 * Applies this version's migrations up to and including `tag` (all of them when `tag` is
 * undefined). A backup's rows fit the schema of the migration it was taken at; restoring migrates
 * the target to exactly that version, loads, then runs the rest, so later migrations transform the
 * restored rows as they would have transformed the original database.
 *
 * drizzle's migrator reads a folder, so the prefix of the journal is copied to a temporary folder.
 * It runs on both drivers through the dialect both drizzle migrators call.
 */
export async function migrateToVersion(db: Database, tag?: string): Promise<void> {
  const journal = readMigrationJournal();
  const upTo = tag === undefined ? journal.length - 1 : journal.findIndex((e) => e.tag === tag);
  if (upTo < 0)
    throw new BackupError(
      'SCHEMA_UNKNOWN',
      'manifest.schema.lastMigration',
      `'${tag}' is not one of this version's migrations (${journal.at(-1)?.tag ?? 'none'} is the newest): restore with the SegTrial version that took the backup`,
    );
  const folder = mkdtempSync(path.join(os.tmpdir(), 'segtrial-migrations-'));
  try {
    mkdirSync(path.join(folder, 'meta'));
    const full = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...full, entries: full.entries.slice(0, upTo + 1) }));
    for (const entry of journal.slice(0, upTo + 1)) copyFileSync(path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
    const config = { migrationsFolder: folder };
    const target = db as unknown as MigratingDatabase;
    await target.dialect.migrate(readMigrationFiles(config), target.session, config);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
