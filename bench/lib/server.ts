import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BENCH_PASSWORD = 'bench-demo-password';

/** Builds the production app if needed and starts it on a fresh embedded database (or DATABASE_URL). */
export async function startProductionServer({ port, env = {} }: { port: number; env?: Record<string, string> }): Promise<{ url: string; stop(): Promise<void> }> {
  if (!existsSync('.next/BUILD_ID')) {
    const build = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (build.status !== 0) throw new Error('next build failed');
  }
  const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-bench-'));
  const child: ChildProcess = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      SEGTRIAL_DATA_DIR: path.join(dataRoot, 'pglite'),
      SEGTRIAL_STORAGE_ROOT: path.join(dataRoot, 'storage'),
      SEGTRIAL_DEMO_PASSWORD: BENCH_PASSWORD,
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Logs in through the API and returns the session cookie. */
export async function loginCookie(url: string, username: string, password = BENCH_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-segtrial-request': '1', origin: url },
    body: JSON.stringify({ json: { username, password } }),
  });
  const cookie = res.headers.get('set-cookie');
  if (!res.ok || !cookie) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return cookie.split(';')[0]!;
}
