import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '@/db/client';
import { startPostgres, type PostgresServer } from '@/scripts/lib/postgres-server.mjs';

export interface ScratchDatabase {
  /** Connection string of the fresh database (empty: the app migrates and seeds it). */
  readonly url: string;
  /** A handle from this test process, for setting up and checking; the app has its own pool. */
  open(maxConnections?: number): Promise<DatabaseHandle>;
  drop(): Promise<void>;
}

let ownServer: Promise<PostgresServer> | undefined;

/** The PostgreSQL server of this run: DATABASE_URL (npm test starts one), or one started here once. */
async function baseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  ownServer ??= startPostgres();
  const server = await ownServer;
  process.once('exit', () => server.destroy());
  return server.url;
}

/** A new, empty database on the run's PostgreSQL server. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const base = await baseUrl();
  const name = `segtrial_rel_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handles: DatabaseHandle[] = [];
  return {
    url: url.toString(),
    async open(maxConnections = 4) {
      const handle = await openDatabase({ driver: 'postgres', url: url.toString(), maxConnections });
      handles.push(handle);
      return handle;
    },
    async drop() {
      await Promise.all(handles.map((h) => h.close().catch(() => {})));
      const dropper = postgres(base, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
