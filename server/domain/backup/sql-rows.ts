import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';

/**
 * Rows of a raw SQL statement on either driver: postgres.js answers an array, PGlite an object
 * with `rows`.
 */
export async function sqlRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const raw: unknown = await db.execute(query);
  const result = raw as T[] | { rows: T[] };
  return Array.isArray(result) ? [...result] : result.rows;
}

/** A PostgreSQL identifier, quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
