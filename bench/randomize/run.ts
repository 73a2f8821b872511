/**
 * bench/randomize: randomizations per second and latency percentiles on a real PostgreSQL server
 * (started here in a temporary folder) with 16 concurrent clients over 8 connections, and the ratio
 * to a plain INSERT of the same allocation row (no locks, no engine, no audit) in the same run.
 *   node --import tsx bench/randomize/run.ts [--n 2000]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../db/client';
import { startPostgres } from '../../scripts/lib/postgres-server.mjs';
import { randomizeConcurrently, setUpTrial } from '../../test/postgres/support/concurrency-trial';

const { values } = parseArgs({ options: { n: { type: 'string', default: '2000' } } });
const n = Number(values.n);

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const server = await startPostgres();
const handle = await openDatabase({ driver: 'postgres', url: server.url, maxConnections: 8 });
try {
  await handle.migrate();
  const db = handle.db;

  const { trialId, ids } = await setUpTrial(db, n);
  const latencies: number[] = [];
  const t0 = performance.now();
  const errors = await randomizeConcurrently(db, trialId, ids, undefined, (ms) => latencies.push(ms));
  const randomizeSeconds = (performance.now() - t0) / 1000;
  if (errors.length) throw new Error(`${errors.length} randomizations failed`);

  // Reference: the same row shape written with a bare INSERT by 16 clients.
  await db.execute(sql`create table bench_plain_allocations (like allocations including defaults)`);
  const plain: number[] = [];
  const queue = Array.from({ length: n }, (_, i) => i);
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = queue.pop(); i !== undefined; i = queue.pop()) {
        const started = performance.now();
        await db.execute(
          sql`insert into bench_plain_allocations (participant_id, trial_id, mode, stratum_key, slot_index, arm, algorithm_version, provenance) values (${randomUUID()}, ${trialId}, 'live', 'site=s1|age_band=young', ${i}, 'control', 'v', ${JSON.stringify({ blockSize: 4 })}::jsonb)`,
        );
        plain.push(performance.now() - started);
      }
    }),
  );
  const plainSeconds = (performance.now() - t1) / 1000;

  latencies.sort((a, b) => a - b);
  plain.sort((a, b) => a - b);
  const r = n / randomizeSeconds;
  const p = n / plainSeconds;
  console.log(`bench/randomize: ${n} randomizations, 16 clients, 8 connections, PostgreSQL`);
  console.log(
    `randomize     ${r.toFixed(0).padStart(6)} /s   p50 ${percentile(latencies, 0.5).toFixed(1)} ms   p95 ${percentile(latencies, 0.95).toFixed(1)} ms   p99 ${percentile(latencies, 0.99).toFixed(1)} ms`,
  );
  console.log(
    `plain insert  ${p.toFixed(0).padStart(6)} /s   p50 ${percentile(plain, 0.5).toFixed(1)} ms   p95 ${percentile(plain, 0.95).toFixed(1)} ms   p99 ${percentile(plain, 0.99).toFixed(1)} ms`,
  );
  console.log(`ratio throughput randomize/plain: ${(r / p).toFixed(3)}   ratio p95 randomize/plain: ${(percentile(latencies, 0.95) / percentile(plain, 0.95)).toFixed(1)}`);
} finally {
  await handle.close();
  server.destroy();
}
