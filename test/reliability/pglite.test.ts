import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { freePort } from '../../scripts/lib/postgres-server.mjs';
import { REPO_ROOT, startAppServer, type AppServer } from './support/app-server';
import { checkInvariants } from './support/check-invariants';
import { serverErrorCounts, startWorkload } from './support/run-workload';
import { RELIABILITY_SEED, seededRandom } from './support/seeded-random';

/** kill -9 runs on the embedded database (each also stops and reopens it from this process to check it). */
const RUNS = Number(process.env.RELIABILITY_PGLITE_CRASH_RUNS ?? 5);

const root = mkdtempSync(path.join(os.tmpdir(), 'segtrial-rel-pglite-'));
const dataDir = path.join(root, 'pglite');
const storageRoot = path.join(root, 'storage');
let server: AppServer | undefined;
afterAll(async () => {
  await server?.kill('SIGKILL');
});

/** The CLI on the same data directory: a second process. */
function cli(args: string[]) {
  return spawnSync(process.execPath, ['bin/segtrial.mjs', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', SEGTRIAL_DATA_DIR: dataDir, SEGTRIAL_STORAGE_ROOT: storageRoot },
    timeout: 120_000,
  });
}

describe('the embedded database (PGlite) and its one-process rule', () => {
  it('refuses to open a data directory that a running app holds, naming the holder', async () => {
    const port = await freePort();
    server = await startAppServer({ port, database: { dataDir }, storageRoot });
    const second = cli(['audit', 'verify']);
    expect(second.status, second.stdout + second.stderr).not.toBe(0);
    expect(second.stderr).toContain(`is in use by process ${server.pid}`);
    // A second app server on the same folder exits at once and says why (not a server answering 500).
    const other = await startAppServer({ port: await freePort(), database: { dataDir }, storageRoot }).then(
      async (s) => {
        await s.kill('SIGKILL');
        return 'it started';
      },
      (error: Error) => error.message,
    );
    expect(other).toContain('app server exited during start-up');
    expect(other).toContain(`SegTrial cannot start: The embedded database at ${dataDir} is in use by process ${server.pid}`);
    // The first server is unharmed.
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it(`survives ${RUNS} kill -9 under load: reopens, keeps every acknowledged write, invariants hold`, async () => {
    const random = seededRandom(RELIABILITY_SEED + 1);
    const acks = { enrolled: [] as string[], randomized: [] as string[] };
    const lines: string[] = [];
    const port = server ? Number(new URL(server.url).port) : await freePort();
    server ??= await startAppServer({ port, database: { dataDir }, storageRoot });
    for (let run = 1; run <= RUNS; run++) {
      // Kill at a random moment once writes are flowing (the first randomization acknowledged).
      const workload = startWorkload({ url: server.url, durationSeconds: 60, connections: 50 });
      await workload.firstRandomization;
      const killAfterMs = Math.round(random() * 2500);
      await new Promise((r) => setTimeout(r, killAfterMs));
      await server.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      workload.stop();
      const result = await workload.done;
      expect(serverErrorCounts(result), JSON.stringify(result.serverErrors.slice(0, 2))).toEqual({});
      acks.enrolled.push(...result.acks.enrolled);
      acks.randomized.push(...result.acks.randomized);

      // The dead process's lock is stale: this process may open the folder, and finds it intact.
      const handle = await openDatabase({ driver: 'pglite', dataDir });
      const report = await checkInvariants(handle.db, acks);
      await handle.close();
      expect(report.violations, `run ${run}, killed ${killAfterMs} ms after the first randomization (seed ${RELIABILITY_SEED + 1})`).toEqual([]);
      lines.push(
        `run ${run}: killed ${killAfterMs} ms after the first randomization; acked ${result.acks.enrolled.length}+${result.acks.randomized.length}; stored ${report.participants} participants, ${report.allocations} allocations, ${report.auditRows} audit rows`,
      );
      server = await startAppServer({ port, database: { dataDir }, storageRoot });
    }
    console.log(`PGlite kill -9 runs:\n${lines.join('\n')}`);
    expect(acks.randomized.length).toBeGreaterThan(0);
  });
});
