/**
 * bench/load: the reliability suite's mixed workload (logins, worklist and report reads, enrollments,
 * randomizations; test/reliability/support/workload-process.ts) from a second process, 50 clients for
 * 60 s, against the production build on PostgreSQL. Reference, measured in the same run with the same
 * clients: a bare Next.js route returning a small JSON body (no tRPC, session or database). Prints
 * p95/p99 per route and each route's p95 as a ratio to the reference's; exits 1 on any 5xx.
 *   node --import tsx bench/load/run.ts [--duration 60] [--connections 50] [--reference-seconds 10]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort, startPostgres } from '../../scripts/lib/postgres-server.mjs';
import { startAppServer } from '../../test/reliability/support/app-server';
import { checkInvariants } from '../../test/reliability/support/check-invariants';
import { serverErrorCounts, startWorkload } from '../../test/reliability/support/run-workload';
import { openDatabase } from '../../db/client';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '60' }, connections: { type: 'string', default: '50' }, 'reference-seconds': { type: 'string', default: '10' } } });
const duration = Number(values.duration);
const connections = Number(values.connections);

const dir = mkdtempSync(path.join(os.tmpdir(), 'segtrial-bench-load-'));
const fixture = path.join(dir, 'plain.json');
writeFileSync(fixture, JSON.stringify({ result: { data: { json: { ok: true } } } }));
const pg = await startPostgres();
const server = await startAppServer({
  port: await freePort(),
  database: { url: pg.url },
  storageRoot: path.join(dir, 'storage'),
  // Every workload login comes from one address; a real deployment's come from many.
  env: { SEGTRIAL_BENCH_FIXTURE: fixture, SEGTRIAL_LOGIN_RATE_PER_MINUTE: '0' },
});
try {
  const reference = await autocannon({ url: `${server.url}/api/bench/plain`, connections, duration: Number(values['reference-seconds']) });
  const lat = reference.latency as unknown as Record<string, number>;
  const refP95 = lat.p95 ?? (lat.p90! + lat.p97_5!) / 2;
  const result = await startWorkload({ url: server.url, durationSeconds: duration, connections }).done;
  const db = await openDatabase({ driver: 'postgres', url: pg.url, maxConnections: 2 });
  const invariants = await checkInvariants(db.db, result.acks);
  await db.close();

  console.log(`\nbench/load: ${connections} clients, ${result.seconds.toFixed(0)} s mixed workload, production build on PostgreSQL`);
  console.log(`reference (bare route, same clients): ${reference.requests.average.toFixed(0)} req/s, p95 ${refP95.toFixed(1)} ms, p99 ${lat.p99!.toFixed(1)} ms`);
  console.log(`${'route'.padEnd(26)} ${'n'.padStart(6)} ${'req/s'.padStart(7)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'p95/ref'.padStart(8)}  statuses`);
  for (const [route, f] of Object.entries(result.routes).sort(([a], [b]) => a.localeCompare(b))) {
    console.log(
      `${route.padEnd(26)} ${String(f.count).padStart(6)} ${(f.count / result.seconds).toFixed(1).padStart(7)} ${f.p95.toFixed(0).padStart(8)} ${f.p99.toFixed(0).padStart(8)} ${(f.p95 / refP95).toFixed(0).padStart(8)}  ${JSON.stringify(f.statuses)}`,
    );
  }
  const total = Object.values(result.routes).reduce((n, f) => n + f.count, 0);
  console.log(
    `all routes: ${(total / result.seconds).toFixed(1)} req/s; connection errors ${result.groups.reduce((n, g) => n + g.errors, 0)}, timeouts ${result.groups.reduce((n, g) => n + g.timeouts, 0)}`,
  );
  console.log(
    `invariants: ${invariants.violations.length === 0 ? 'all hold' : invariants.violations.join('; ')} (${invariants.participants} participants, ${invariants.allocations} allocations, ${invariants.auditRows} audit rows verified)`,
  );
  if (Object.keys(serverErrorCounts(result)).length > 0 || invariants.violations.length > 0) process.exitCode = 1;
} finally {
  await server.kill('SIGTERM');
  pg.destroy();
}
