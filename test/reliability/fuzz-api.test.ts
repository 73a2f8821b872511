import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/postgres-server.mjs';
import { RELIABILITY_PASSWORD, startAppServer, type AppServer } from './support/app-server';
import { arbitraryFor, junkInput, listProcedures } from './support/procedures';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database';
import { callOverHttp, httpLogin } from './support/trpc-http';

/** Total fuzzing time over all procedures (FUZZ_SECONDS, as the ingest fuzz tests use). */
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 30);

/**
 * Memory is bounded by V8 itself: the server runs with this old-space limit, so a leak ends it
 * (out of memory: connection errors, a dead process) instead of showing as growth to be judged.
 * Without the limit RSS growth alone was no verdict: V8 lets the heap grow before it collects, the
 * more so the more calls a faster machine fits in the same seconds.
 */
const HEAP_LIMIT_MB = 320;
const RSS_LIMIT_MB = 768;

let database: ScratchDatabase;
let server: AppServer;
beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({
    port: await freePort(),
    database: { url: database.url },
    storageRoot: mkdtempSync(path.join(os.tmpdir(), 'segtrial-rel-fuzz-')),
    env: { SEGTRIAL_LOGIN_RATE_PER_MINUTE: '0', NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MB}` },
  });
});
afterAll(async () => {
  await server?.kill('SIGTERM');
  await database?.drop();
});

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

describe('every tRPC input schema, fuzzed over HTTP with fast-check', () => {
  it(`generated and hostile inputs for ${SECONDS} s: never a 5xx, bad input is a typed 400, memory stays bounded`, async () => {
    const procedures = listProcedures().filter((p) => p.path !== 'auth.logout');
    const cookie = await httpLogin(server.url, 'admin', RELIABILITY_PASSWORD);
    const coordinator = await httpLogin(server.url, 'coordinator', RELIABILITY_PASSWORD);
    const failures: string[] = [];
    const rss: number[] = [rssMb(server.pid)];
    let calls = 0;
    const deadline = Date.now() + SECONDS * 1000;
    const perProcedureMs = (SECONDS * 1000) / procedures.length;
    for (let round = 0; Date.now() < deadline; round++) {
      for (const procedure of procedures) {
        const until = Math.min(deadline, Date.now() + perProcedureMs / 2);
        const valid = procedure.inputSchema ? arbitraryFor(procedure.inputSchema) : fc.constant(undefined);
        // Admins pass most role checks; coordinator-only procedures get the coordinator.
        for (let i = 0; Date.now() < until; i++) {
          const [input] = fc.sample(i % 2 ? junkInput : valid, { numRuns: 1, seed: round * 100_000 + calls });
          const answer = await callOverHttp(server.url, procedure, input, { cookie: i % 4 < 2 ? cookie : coordinator });
          calls++;
          if (answer.status >= 500) failures.push(`${procedure.path} ${answer.status}: ${JSON.stringify(input)?.slice(0, 200)} → ${answer.text.slice(0, 200)}`);
          if (answer.status === 400 && answer.error && answer.error.code !== 'BAD_REQUEST' && answer.error.code !== 'PARSE_ERROR')
            failures.push(`${procedure.path} 400 without a typed code: ${answer.text.slice(0, 200)}`);
        }
      }
      rss.push(rssMb(server.pid));
    }
    console.log(`API fuzz: ${calls} calls over ${procedures.length} procedures; server RSS MB by round: ${rss.map((r) => r.toFixed(0)).join(', ')}`);
    expect(failures.slice(0, 10)).toEqual([]);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(Math.max(...rss)).toBeLessThan(RSS_LIMIT_MB);
    // And, under that heap limit, no growth after the first round (caches, JIT) beyond 150 MB.
    const afterWarmUp = rss[Math.min(1, rss.length - 1)]!;
    expect(Math.max(...rss) - afterWarmUp).toBeLessThan(150);
  });
});
