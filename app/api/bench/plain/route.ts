import { readFile } from 'node:fs/promises';
import { env } from '@/server/env';

export const dynamic = 'force-dynamic';

let body: Promise<string> | undefined;

/**
 * The reference of bench/api: a bare route returning the same JSON bytes as the benchmarked tRPC
 * procedure, without tRPC, session lookup or database. Exists only while a benchmark sets
 * SEGTRIAL_BENCH_FIXTURE; otherwise 404.
 */
export async function GET(): Promise<Response> {
  const fixture = env().SEGTRIAL_BENCH_FIXTURE;
  if (!fixture) return new Response('Not found', { status: 404 });
  body ??= readFile(fixture, 'utf8');
  return new Response(await body, { headers: { 'content-type': 'application/json' } });
}
