import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';

/** The drizzle database both drivers present; domain code takes this (or a transaction of it). */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle, accepted wherever a Database is: domain functions take `db: Database | Tx`. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type DbOrTx = Database | Tx;

export interface DatabaseHandle {
  readonly db: Database;
  readonly driver: 'pglite' | 'postgres';
  /** Applies pending migrations from db/migrations. Idempotent. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { readonly driver: 'postgres'; readonly url: string; readonly maxConnections?: number }
  /** `dataDir` undefined opens an in-memory database (tests), empty or loaded from `loadDataDir` (a PGlite dump). */
  | { readonly driver: 'pglite'; readonly dataDir?: string; readonly loadDataDir?: Blob };

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.driver === 'postgres') {
    const client = postgres(target.url, {
      max: target.maxConnections ?? 10,
      onnotice: () => {},
      // While the server is down, waiting queries fail at the next reconnect attempt. postgres.js
      // backs off up to 20 s between attempts by default, so requests hung for up to 20 s in an
      // outage; half a second at most keeps the answer a prompt 503 (test/reliability).
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
      // An unreachable host (no refusal, packets dropped) fails in 5 s rather than 30.
      connect_timeout: 5,
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Database;
    return {
      db,
      driver: 'postgres',
      migrate: () => migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDER }),
      close: () => client.end({ timeout: 5 }),
    };
  }

  let lock: DataDirLock | undefined;
  if (target.dataDir) {
    mkdirSync(target.dataDir, { recursive: true });
    // PGlite is single-process: a second process on the same directory would corrupt it.
    lock = acquireDataDirLock(target.dataDir);
  }
  try {
    const client = await PGlite.create(target.dataDir ? path.join(target.dataDir, 'pgdata') : undefined, target.loadDataDir ? { loadDataDir: target.loadDataDir } : {});
    const db = drizzlePglite(client, { schema }) as unknown as Database;
    return {
      db,
      driver: 'pglite',
      migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER }),
      close: async () => {
        await client.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
