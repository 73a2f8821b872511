import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Where the production build lives. Defaults to the repository; RELIABILITY_APP_DIR points at a
 * copy of it (a folder with its own `.next` and links to the sources), so the suite can run while
 * someone else rebuilds the repository's `.next`.
 */
export const APP_DIR = process.env.RELIABILITY_APP_DIR ?? REPO_ROOT;

/** The demo accounts' password on every server this suite starts. */
export const RELIABILITY_PASSWORD = 'reliability-demo-password';

export interface AppServerOptions {
  readonly port: number;
  /** PostgreSQL URL, or the embedded database's folder. */
  readonly database: { readonly url: string } | { readonly dataDir: string };
  readonly storageRoot: string;
  readonly env?: Readonly<Record<string, string>>;
  /** 'healthy' (default): wait for /api/health 200; 'answering': for any answer of it. */
  readonly until?: 'healthy' | 'answering';
}

export interface AppServer {
  readonly url: string;
  readonly pid: number;
  /** The server's output so far (last 200 kB), for failure messages. */
  output(): string;
  /** Resolves once the process has exited (after a kill, or by itself). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `next start` (the production build) as its own process and waits until /api/health says
 * the database is up. `next start` serves from the process it is (no child server), so a SIGKILL
 * to `pid` is a crash of the whole app, in-process worker included.
 */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  if (!existsSync(path.join(APP_DIR, '.next', 'BUILD_ID'))) {
    throw new Error(`no production build in ${APP_DIR}: run \`next build\` first (npm test does)`);
  }
  const databaseEnv = 'url' in options.database ? { DATABASE_URL: options.database.url } : { DATABASE_URL: '', SEGTRIAL_DATA_DIR: options.database.dataDir };
  const child: ChildProcess = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(options.port), '-H', '127.0.0.1'], {
    cwd: APP_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      SEGTRIAL_STORAGE_ROOT: options.storageRoot,
      SEGTRIAL_DEMO_PASSWORD: RELIABILITY_PASSWORD,
      // The demo trial and accounts, without its synthetic patients and their background inference:
      // the workloads make their own patients, and the machine's cores go to the test.
      SEGTRIAL_DEMO_CASES: 'none',
      ...databaseEnv,
      ...options.env,
    },
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${options.port}`;
  const server: AppServer = {
    url,
    pid: child.pid!,
    output: () => output,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  let dead: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  void exited.then((e) => (dead = e));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (dead) throw new Error(`app server exited during start-up (${JSON.stringify(dead)}):\n${output.slice(-4000)}`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
      if (res.ok || options.until === 'answering') return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.kill('SIGKILL');
      throw new Error(`app server did not become healthy in 90 s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
