import { sql } from 'drizzle-orm';
import { getRuntime } from '../runtime';

export async function checkHealth(): Promise<{ ok: boolean; database: 'up' | 'down'; driver?: string }> {
  try {
    const { db, handle } = await getRuntime();
    await db.execute(sql`select 1`);
    return { ok: true, database: 'up', driver: handle.driver };
  } catch {
    return { ok: false, database: 'down' };
  }
}
