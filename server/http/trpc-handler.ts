import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Database } from '../../db/client';
import { appRouter } from '../routers/_app';
import { createRequestContext } from './create-request-context';

/**
 * Serves the tRPC API at `endpoint` for a Fetch API request. Used by the Next.js route and by tests.
 * `db` may be a function opening it: when that fails because the database is unreachable (the
 * server started while PostgreSQL was down), the request gets the typed 503 like any outage.
 */
export function handleTrpcRequest({ db, req, endpoint = '/api/trpc' }: { db: Database | (() => Promise<Database>); req: Request; endpoint?: string }): Promise<Response> {
  return fetchRequestHandler({
    endpoint,
    req,
    router: appRouter,
    allowMethodOverride: false,
    createContext: ({ resHeaders }) => createRequestContext({ db, req, resHeaders }),
  });
}
