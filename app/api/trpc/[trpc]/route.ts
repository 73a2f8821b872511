import { handleTrpcRequest } from '../../../../server/http/trpc-handler';
import { getRuntime } from '../../../../server/runtime';

export const dynamic = 'force-dynamic';

async function handler(req: Request): Promise<Response> {
  const { db } = await getRuntime();
  return handleTrpcRequest({ db, req });
}

export { handler as GET, handler as POST };
