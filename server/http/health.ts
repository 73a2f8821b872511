import { sql } from 'drizzle-orm';
import { isDatabaseUnavailable } from '../../db/database-errors';
import { env } from '../env';
import { definePublicRoute } from './route';

/**
 * Liveness and database reachability, for load balancers and the test harness: 200 with the
 * driver, or 503 `{ ok: false, database: 'down' }` (also when the database cannot be opened).
 */
export const healthRoute = definePublicRoute({
  name: 'health',
  roles: 'public',
  async handle({ db }) {
    try {
      await db.execute(sql`select 1`);
      return Response.json({ ok: true, database: 'up', driver: env().DATABASE_URL ? 'postgres' : 'pglite' }, { headers: { 'cache-control': 'no-store' } });
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      return Response.json({ ok: false, database: 'down' }, { status: 503, headers: { 'cache-control': 'no-store' } });
    }
  },
});
