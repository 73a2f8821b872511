import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client';
import { jobs } from '../../db/schema';
import { freePort, startPostgres, type PostgresServer } from '../../scripts/lib/postgres-server.mjs';
import { enqueueJob } from '../../server/jobs/queue';
import { RELIABILITY_PASSWORD, startAppServer, type AppServer } from './support/app-server';
import { checkInvariants } from './support/check-invariants';
import { startWorkload } from './support/run-workload';
import { RELIABILITY_SEED, seededRandom } from './support/seeded-random';

/** `pg_ctl stop -m immediate` runs (10 in CI). */
const RUNS = Number(process.env.RELIABILITY_OUTAGE_RUNS ?? 10);
/** Longest acceptable answer while the database is down: a clean 503, not a hang. */
const MAX_ANSWER_MS = 5000;

let pg: PostgresServer;
let server: AppServer;
let db: DatabaseHandle;
const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-rel-outage-'));

beforeAll(async () => {
  // Its own PostgreSQL server: this file stops and starts it.
  pg = await startPostgres();
  // The probes log in many times a minute from one address: the login rate limit (session-security
  // tests it) would answer 429 before the outage's 503 is seen.
  server = await startAppServer({ port: await freePort(), database: { url: pg.url }, storageRoot, env: { SEGTRIAL_LOGIN_RATE_PER_MINUTE: '0' } });
  db = await openDatabase({ driver: 'postgres', url: pg.url, maxConnections: 2 });
});
afterAll(async () => {
  await server?.kill('SIGTERM');
  await db?.close().catch(() => {});
  pg?.destroy();
});

async function loginCookie(url: string, username = 'monitor'): Promise<string> {
  const res = await fetch(`${url}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-segtrial-request': '1', origin: url },
    body: JSON.stringify({ json: { username, password: RELIABILITY_PASSWORD } }),
  });
  if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

function crashLines(output: string): string[] {
  return output.split('\n').filter((line) => /unhandled|uncaught/i.test(line));
}

interface Probe {
  readonly status: number;
  readonly ms: number;
  readonly appCode?: string;
}

/** One request with a deadline well past MAX_ANSWER_MS, so a hang shows as a slow answer or status 0. */
async function probe(url: string, init: RequestInit = {}): Promise<Probe> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(MAX_ANSWER_MS * 3) });
    const body = (await res.json().catch(() => ({}))) as { error?: { json?: { data?: { appCode?: string } } } };
    return { status: res.status, ms: performance.now() - t0, appCode: body.error?.json?.data?.appCode };
  } catch {
    return { status: 0, ms: performance.now() - t0 };
  }
}

describe('PostgreSQL stopped with pg_ctl stop -m immediate under load', () => {
  it(`${RUNS} outages: typed 503s while it is down, recovery when it returns, every acknowledged write kept`, async () => {
    const random = seededRandom(RELIABILITY_SEED + 2);
    const cookie = await loginCookie(server.url);
    const acks = { enrolled: [] as string[], randomized: [] as string[] };
    const lines: string[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const workload = startWorkload({ url: server.url, durationSeconds: 120, connections: 50 });
      let pgDown = false;
      try {
        await workload.firstRandomization;
        await new Promise((r) => setTimeout(r, Math.round(random() * 1500)));
        pg.stop({ immediate: true });
        pgDown = true;

        // While it is down: every kind of request answers quickly with the typed 503.
        const downProbes: Probe[] = [];
        const downUntil = performance.now() + 1500;
        while (performance.now() < downUntil) {
          downProbes.push(
            ...(await Promise.all([
              probe(`${server.url}/api/trpc/trials.list`, { headers: { cookie } }),
              probe(`${server.url}/api/trpc/auth.login`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'x-segtrial-request': '1', origin: server.url },
                body: JSON.stringify({ json: { username: 'monitor', password: RELIABILITY_PASSWORD } }),
              }),
              probe(`${server.url}/api/health`),
            ])),
          );
        }
        for (const p of downProbes) {
          expect(p.status, `run ${run}: answer while the database is down`).toBe(503);
          expect(p.ms, `run ${run}: answered in ${p.ms.toFixed(0)} ms`).toBeLessThan(MAX_ANSWER_MS);
        }
        expect(downProbes.filter((p) => p.appCode !== undefined).every((p) => p.appCode === 'DATABASE_UNAVAILABLE')).toBe(true);

        const restartedAt = performance.now();
        pg.start();
        pgDown = false;
        let recoveredMs = Number.NaN;
        while (performance.now() - restartedAt < 30_000) {
          const p = await probe(`${server.url}/api/trpc/trials.list`, { headers: { cookie } });
          if (p.status === 200) {
            recoveredMs = performance.now() - restartedAt;
            break;
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        // On failure the server's last output says whether it hung, restarted or crashed (an intermittent failure is being chased).
        expect(recoveredMs, `run ${run}: the app serves again after the database returns; server output:\n${server.output().slice(-3000)}`).toBeLessThan(30_000);
        await new Promise((r) => setTimeout(r, 500)); // the workload writes again after recovery
        workload.stop();
        const result = await workload.done;

        // The workload saw 200s, typed 4xx and 503s: never a 500, never a dropped connection.
        const statuses = new Set(Object.values(result.routes).flatMap((f) => Object.keys(f.statuses).map(Number)));
        expect(
          [...statuses].filter((s) => s >= 500 && s !== 503),
          `run ${run}: ${JSON.stringify(result.serverErrors.filter((e) => e.status !== 503).slice(0, 2))}`,
        ).toEqual([]);
        expect(
          result.groups.reduce((n, g) => n + g.errors + g.timeouts, 0),
          `run ${run}: connection errors or timeouts; server output:\n${server.output().slice(-3000)}`,
        ).toBe(0);
        // No uncaught error or unhandled rejection. postgres.js 3.4.9 threw one when it wrote to a socket
        // it had just closed, and wedged the connection for good; scripts/patch-dependencies.mjs fixes both.
        expect(crashLines(server.output()), `run ${run}`).toEqual([]);

        acks.enrolled.push(...result.acks.enrolled);
        acks.randomized.push(...result.acks.randomized);
        const report = await checkInvariants(db.db, acks);
        expect(report.violations, `run ${run} (seed ${RELIABILITY_SEED + 2})`).toEqual([]);
        const unavailable = Object.values(result.routes).reduce((n, f) => n + (f.statuses['503'] ?? 0), 0);
        const slowest = Math.max(...downProbes.map((p) => p.ms));
        lines.push(
          `run ${String(run).padStart(2)}: ${downProbes.length} probes while down, all 503, slowest ${slowest.toFixed(0)} ms; serving again ${(recoveredMs / 1000).toFixed(2)} s after pg_ctl start; workload saw ${unavailable} 503s; acked ${result.acks.enrolled.length}+${result.acks.randomized.length}, stored ${report.participants} participants / ${report.allocations} allocations`,
        );
      } finally {
        // A failed run leaves neither the load nor a stopped database behind for the next tests.
        workload.stop();
        if (pgDown) pg.start();
      }
    }
    console.log(`database outages (seed ${RELIABILITY_SEED + 2}):\n${lines.join('\n')}`);
  });

  it('the in-process job worker survived the outages: it still claims jobs', async () => {
    // A job whose study does not exist: the worker claims it, the handler fails, the job is retried later.
    const { id } = await enqueueJob(db.db, {
      kind: 'segment-study',
      key: `outage-probe-${Date.now()}`,
      payload: { studyId: '00000000-0000-4000-8000-000000000000', modelId: '00000000-0000-4000-8000-000000000000' },
    });
    const deadline = Date.now() + 20_000;
    let attempts = 0;
    while (Date.now() < deadline && attempts === 0) {
      await new Promise((r) => setTimeout(r, 250));
      [{ attempts } = { attempts: 0 }] = await db.db.select({ attempts: jobs.attempts }).from(jobs).where(eq(jobs.id, id));
    }
    expect(attempts).toBeGreaterThan(0);
  });

  it('an app started while PostgreSQL is down answers 503, then serves once it is up', async () => {
    pg.stop({ immediate: true });
    const late = await startAppServer({ port: await freePort(), database: { url: pg.url }, storageRoot, until: 'answering', env: { SEGTRIAL_LOGIN_RATE_PER_MINUTE: '0' } });
    try {
      const down = await probe(`${late.url}/api/trpc/trials.list`);
      expect(down.status).toBe(503);
      expect(down.ms).toBeLessThan(MAX_ANSWER_MS);
      pg.start();
      const deadline = Date.now() + 30_000;
      let status = 0;
      while (Date.now() < deadline && status !== 200) {
        status = (await probe(`${late.url}/api/health`)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);
      expect((await probe(`${late.url}/api/trpc/trials.list`, { headers: { cookie: await loginCookie(late.url) } })).status).toBe(200);
    } finally {
      await late.kill('SIGTERM');
    }
  });
});
