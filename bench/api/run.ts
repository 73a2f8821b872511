/**
 * bench/api: an authenticated tRPC read (trials.list: session lookup, membership query, superjson)
 * under 50 concurrent connections against the production build, and the same load on a bare Next.js
 * route returning the same JSON bytes, measured in the same run. The two sides alternate (bare, tRPC,
 * bare, tRPC, …): the fresh server seeds the demo in the background, so load on the machine drifts
 * while it is measured, and each side's figure taken at another moment would carry that drift into
 * the ratio. Prints each pair, then the median of the per-pair ratios.
 *   node --import tsx bench/api/run.ts [--duration 10] [--connections 50] [--pairs 3]
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { median } from '../lib/median';
import { loginCookie, startProductionServer } from '../lib/server';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' }, pairs: { type: 'string', default: '3' }, port: { type: 'string', default: '3191' } },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const pairs = Number(values.pairs);

const fixture = path.join(mkdtempSync(path.join(os.tmpdir(), 'segtrial-bench-api-')), 'plain.json');
const server = await startProductionServer({ port: Number(values.port), env: { SEGTRIAL_BENCH_FIXTURE: fixture } });

interface Figures {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, headers: Record<string, string>): Promise<Figures> {
  const result = await autocannon({ url, connections, duration, headers });
  // autocannon reports p97.5 and p99; p95 is interpolated from its histogram percentiles list.
  const lat = result.latency as unknown as Record<string, number>;
  return {
    rps: result.requests.average,
    p50: lat.p50 ?? NaN,
    p95: lat.p95 ?? (lat.p90! + lat.p97_5!) / 2,
    p99: lat.p99 ?? NaN,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

try {
  const cookie = await loginCookie(server.url, 'statistician');
  const trpcUrl = `${server.url}/api/trpc/trials.list`;
  const sample = await fetch(trpcUrl, { headers: { cookie } });
  const bytes = await sample.text();
  if (!sample.ok) throw new Error(`trials.list failed: ${sample.status}`);
  writeFileSync(fixture, bytes);
  const plain = await (await fetch(`${server.url}/api/bench/plain`)).text();
  if (plain !== bytes) throw new Error('the bare route does not return the same bytes');

  await load(`${server.url}/api/bench/plain`, {}); // warm-up is not reported
  const row = (name: string, f: Figures) =>
    `${name.padEnd(28)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${f.p50.toFixed(1).padStart(6)} ms   p95 ${f.p95.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   non-2xx ${f.non2xx}  errors ${f.errors}`;
  console.log(`\nbench/api: ${connections} connections, ${duration} s per side, ${pairs} alternating pairs, ${bytes.length} bytes per response`);
  const throughputRatios: number[] = [];
  const p95Ratios: number[] = [];
  let failed = false;
  for (let pair = 1; pair <= pairs; pair++) {
    const bare = await load(`${server.url}/api/bench/plain`, {});
    const trpc = await load(trpcUrl, { cookie });
    console.log(row(`pair ${pair}: bare route`, bare));
    console.log(row(`pair ${pair}: tRPC trials.list`, trpc));
    throughputRatios.push(trpc.rps / bare.rps);
    p95Ratios.push(trpc.p95 / bare.p95);
    failed ||= trpc.non2xx > 0 || trpc.errors > 0;
  }
  console.log(`ratio throughput tRPC/bare (median of ${pairs} pairs): ${median(throughputRatios).toFixed(3)}   ratio p95 tRPC/bare: ${median(p95Ratios).toFixed(2)}`);
  if (failed) process.exitCode = 1;
} finally {
  await server.stop();
}
