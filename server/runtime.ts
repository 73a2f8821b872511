import { openDatabase, type Database, type DatabaseHandle } from '../db/client';
import { seedDemo, type DemoCredential } from './domain/demo/seed-demo';
import { env } from './env';

export interface Runtime {
  readonly db: Database;
  readonly handle: DatabaseHandle;
}

// One database handle per process, kept on globalThis because Next.js may load this module more
// than once (instrumentation, route handlers, server components); PGlite must be opened only once.
const globalKey = Symbol.for('segtrial.runtime');
type GlobalWithRuntime = typeof globalThis & { [globalKey]?: Promise<Runtime> };

export function getRuntime(): Promise<Runtime> {
  const g = globalThis as GlobalWithRuntime;
  g[globalKey] ??= bootRuntime().catch((error: unknown) => {
    delete g[globalKey];
    throw error;
  });
  return g[globalKey];
}

async function bootRuntime(): Promise<Runtime> {
  const config = env();
  const handle = await openDatabase(
    config.DATABASE_URL ? { driver: 'postgres', url: config.DATABASE_URL } : { driver: 'pglite', dataDir: config.SEGTRIAL_DATA_DIR },
  );
  await handle.migrate();
  if (config.SEGTRIAL_DEMO === '1') {
    const credentials = await seedDemo({ db: handle.db, password: config.SEGTRIAL_DEMO_PASSWORD });
    if (credentials.length > 0) printDemoCredentials(credentials);
  }
  return { db: handle.db, handle };
}

/** Printed once, on the first start of an empty database: the passwords are not stored anywhere else. */
function printDemoCredentials(credentials: readonly DemoCredential[]): void {
  const lines = credentials.map((c) => `  ${c.role.padEnd(13)} ${c.username.padEnd(14)} ${c.password.padEnd(20)} ${c.sites}`);
  console.log(
    [
      '',
      'SegTrial: created the demo trial. Demo accounts (shown once, write them down):',
      `  ${'role'.padEnd(13)} ${'username'.padEnd(14)} ${'password'.padEnd(20)} sites`,
      ...lines,
      '',
    ].join('\n'),
  );
}
