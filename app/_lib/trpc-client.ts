'use client';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../server/routers/_app';

/** The browser's tRPC client: every request carries the custom header the server requires for mutations. */
export const trpc = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: '/api/trpc',
      transformer: superjson,
      headers: () => ({ 'x-segtrial-request': '1' }),
    }),
  ],
});

/** The message to show a user for a failed call. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}
