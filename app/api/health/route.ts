import { checkHealth } from '../../../server/http/health';

export const dynamic = 'force-dynamic';

/** Liveness and database reachability, for load balancers and the test harness. */
export async function GET(): Promise<Response> {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503 });
}
