import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Database } from '../../db/client';
import { appRouter } from '../routers/_app';
import { createRequestContext } from './create-request-context';

/** Serves the tRPC API at `endpoint` for a Fetch API request. Used by the Next.js route and by tests. */
export function handleTrpcRequest({ db, req, endpoint = '/api/trpc' }: { db: Database; req: Request; endpoint?: string }): Promise<Response> {
  return fetchRequestHandler({
    endpoint,
    req,
    router: appRouter,
    allowMethodOverride: false,
    createContext: ({ resHeaders }) => createRequestContext({ db, req, resHeaders }),
  });
}
