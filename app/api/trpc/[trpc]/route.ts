import { handleTrpcRequest } from '@/server/http/trpc-handler';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

async function handler(req: Request): Promise<Response> {
  // Opened inside the request context, so an unreachable database is a typed 503, not a 500.
  return handleTrpcRequest({ db: async () => (await getRuntime()).db, req });
}

export { handler as GET, handler as POST };
