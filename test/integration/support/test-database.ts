import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import postgres from 'postgres';
import { MIGRATIONS_FOLDER, openDatabase, type DatabaseHandle } from '@/db/client';

/** Which driver this run of the integration suite uses: PostgreSQL when DATABASE_URL is set. */
export const TEST_DRIVER: 'postgres' | 'pglite' = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/**
 * A fresh, migrated database for one test file: a new database on the test PostgreSQL server when
 * DATABASE_URL is set (dropped on close), otherwise an in-memory PGlite.
 *
 * Both start from a copy of a database the migrations built once per run (docs/testing.md, "Shared
 * fixtures within one run"): an empty in-memory PGlite runs initdb on every open, and initdb plus the
 * migrations cost about 6.5 s of CPU per file against 1.2 s to load the migrated copy. The migrations
 * still run on each driver in every run (they build the copy), and each file's `migrate()` still runs,
 * finding nothing left to apply.
 */
export async function openTestDatabase(options: { maxConnections?: number } = {}): Promise<DatabaseHandle & { url?: string }> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    const handle = await openMigratedPglite();
    await handle.migrate();
    return handle;
  }
  const name = `segtrial_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${await postgresTemplate(admin, baseUrl)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ driver: 'postgres', url: url.toString(), maxConnections: options.maxConnections ?? 10 });
  await handle.migrate();
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      const dropper = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** The migrations' identity: a copy made from other migrations is never used. */
function migrationsKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      hash.update(path.relative(MIGRATIONS_FOLDER, file));
      if (entry.isDirectory()) walk(file);
      else hash.update(readFileSync(file));
    }
  };
  walk(MIGRATIONS_FOLDER);
  return hash.digest('hex').slice(0, 16);
}

let pgliteDump: Promise<Blob> | undefined;

/**
 * An in-memory PGlite loaded from a dump of a freshly migrated one (openDatabase's `loadDataDir`). The dump is made once per
 * process, or once per run when SEGTRIAL_TEST_DB_TEMPLATE names a folder (scripts/test.mjs makes one
 * per run): the integration files run one process each.
 */
async function openMigratedPglite(): Promise<DatabaseHandle> {
  pgliteDump ??= (async () => {
    const folder = process.env.SEGTRIAL_TEST_DB_TEMPLATE;
    const file = folder ? path.join(folder, `pglite-${migrationsKey()}.tar`) : null;
    if (file && existsSync(file)) return new Blob([await readFile(file)]);
    const client = await PGlite.create();
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    const dump = await client.dumpDataDir('none');
    await client.close();
    if (folder && file) {
      // Written beside, then renamed into place, so a reader never sees half a file.
      await mkdir(folder, { recursive: true });
      const scratch = `${file}.${process.pid}.writing`;
      await writeFile(scratch, new Uint8Array(await dump.arrayBuffer()));
      await rename(scratch, file).catch(() => rm(scratch, { force: true }));
    }
    return dump;
  })();
  return openDatabase({ driver: 'pglite', loadDataDir: await pgliteDump });
}

/**
 * The name of a migrated template database on the test server, made by the first file that needs it
 * (under an advisory lock: the PostgreSQL step's files run one at a time, but nothing else relies on
 * that). Its connections are closed before it is copied: PostgreSQL copies only an unused template.
 */
async function postgresTemplate(admin: postgres.Sql, baseUrl: string): Promise<string> {
  const name = `segtrial_test_template_${migrationsKey()}`;
  await admin`select pg_advisory_lock(7316020)`;
  try {
    const [existing] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!existing) {
      // A file stopped while building leaves its half-built copy behind: start again.
      await admin.unsafe(`drop database if exists ${name}_building with (force)`);
      await admin.unsafe(`create database ${name}_building`);
      const url = new URL(baseUrl);
      url.pathname = `/${name}_building`;
      const template = await openDatabase({ driver: 'postgres', url: url.toString(), maxConnections: 1 });
      try {
        await template.migrate();
      } finally {
        await template.close();
      }
      await admin.unsafe(`alter database ${name}_building rename to ${name}`);
    }
  } finally {
    await admin`select pg_advisory_unlock(7316020)`;
  }
  return name;
}
