import { openDatabase, type DatabaseHandle } from '../db/client';
import { env } from '../server/env';

/**
 * Opens the configured database for a CLI command (DATABASE_URL, else the embedded PGlite data
 * directory) and applies pending migrations. The caller closes it.
 */
export async function openCliDatabase(): Promise<DatabaseHandle> {
  const config = env();
  const handle = await openDatabase(config.DATABASE_URL ? { driver: 'postgres', url: config.DATABASE_URL, maxConnections: 2 } : { driver: 'pglite', dataDir: config.SEGTRIAL_DATA_DIR });
  try {
    await handle.migrate();
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

export async function withCliDatabase<T>(fn: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openCliDatabase();
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}
