import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, RELIABILITY_PASSWORD } from './app-server';
import type { WorkloadResult } from './workload-types';

export interface RunningWorkload {
  /** Resolves with the figures once the workload process has written them and exited. */
  readonly done: Promise<WorkloadResult>;
  /** Resolves once the workload has logged in and started its clients. */
  readonly started: Promise<void>;
  /** Resolves at the first acknowledged randomization (or when the process ends without one). */
  readonly firstRandomization: Promise<void>;
  /** Ends the run early; `done` still resolves with the figures so far. */
  stop(): void;
}

/**
 * Starts the mixed workload (workload-process.ts) as a second process against `url`. The process
 * logs in first (retrying while the server starts), then runs for `durationSeconds`.
 */
export function startWorkload({
  url,
  durationSeconds,
  connections = 50,
  password = RELIABILITY_PASSWORD,
}: {
  url: string;
  durationSeconds: number;
  connections?: number;
  password?: string;
}): RunningWorkload {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'segtrial-workload-'));
  const out = path.join(dir, 'result.json');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'test/reliability/support/workload-process.ts'),
      '--url',
      url,
      '--duration',
      String(durationSeconds),
      '--connections',
      String(connections),
      '--password',
      password,
      '--out',
      out,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  let markFirst: () => void = () => {};
  const firstRandomization = new Promise<void>((resolve) => (markFirst = resolve));
  const done = new Promise<WorkloadResult>((resolve, reject) => {
    child.once('exit', (code) => {
      markStarted();
      markFirst();
      try {
        if (code !== 0) throw new Error(`workload process exited with ${code}:\n${output.slice(-3000)}`);
        resolve(JSON.parse(readFileSync(out, 'utf8')) as WorkloadResult);
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
  child.stdout.on('data', (c: Buffer) => {
    if (c.toString().includes('workload: started')) markStarted();
    if (c.toString().includes('workload: first randomization')) markFirst();
  });
  return { done, started, firstRandomization, stop: () => void child.kill('SIGTERM') };
}

/** Every 5xx response of a workload, by route and status (empty when there was none). */
export function serverErrorCounts(result: WorkloadResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [route, figures] of Object.entries(result.routes)) {
    for (const [status, n] of Object.entries(figures.statuses)) if (Number(status) >= 500) out[`${route} ${status}`] = n;
  }
  return out;
}

/** One line per route: count, p50/p95/p99 and the status mix. */
export function formatRoutes(result: WorkloadResult): string {
  return Object.entries(result.routes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([route, f]) =>
        `${route.padEnd(26)} n=${String(f.count).padStart(6)}  p50 ${f.p50.toFixed(1).padStart(7)}  p95 ${f.p95.toFixed(1).padStart(7)}  p99 ${f.p99.toFixed(1).padStart(7)} ms  ${JSON.stringify(f.statuses)}`,
    )
    .join('\n');
}
