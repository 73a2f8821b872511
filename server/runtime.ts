import { openDatabase, type Database, type DatabaseHandle } from '../db/client';
import { createContentStore } from '../imaging/storage/content-store';
import { seedDemo, type DemoCredential } from './demo/seed-demo';
import { registerShippedModel } from './domain/segmentation/register-shipped-model';
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
  const handle = await openDatabase(config.DATABASE_URL ? { driver: 'postgres', url: config.DATABASE_URL } : { driver: 'pglite', dataDir: config.SEGTRIAL_DATA_DIR });
  await handle.migrate();
  const model = await registerShippedModel({ db: handle.db, store: createContentStore(config.SEGTRIAL_STORAGE_ROOT) });
  if (model.created) console.log(`SegTrial: registered the shipped model ${model.name}@${model.version} as the default.`);
  if (config.SEGTRIAL_DEMO === '1') {
    const credentials = await seedDemo({ db: handle.db, password: config.SEGTRIAL_DEMO_PASSWORD });
    if (credentials.length > 0) printDemoCredentials(credentials);
  }
  if (config.SEGTRIAL_INPROCESS_WORKER === '1') startInProcessWorker(handle.db);
  return { db: handle.db, handle };
}

/**
 * The embedded database belongs to this process, so its jobs run here: the loop only claims jobs
 * and waits; each inference runs in a child process (models/runtime/segment-process.ts), so the
 * web server's event loop stays free. With PostgreSQL, `segtrial worker` processes can join it.
 */
function startInProcessWorker(db: Database): void {
  void (async () => {
    const [{ runWorker }, { jobHandlers }] = await Promise.all([import('./jobs/worker'), import('./jobs/handlers')]);
    await runWorker({ db, workerId: `app-${process.pid}`, handlers: jobHandlers(db), pollMs: 2000 });
  })().catch((error: unknown) => console.error('[worker] in-process worker stopped:', error));
}

/** Printed once, on the first start of an empty database: the passwords are not stored anywhere else. */
function printDemoCredentials(credentials: readonly DemoCredential[]): void {
  const lines = credentials.map((c) => `  ${c.role.padEnd(13)} ${c.username.padEnd(14)} ${c.password.padEnd(20)} ${c.sites}`);
  console.log(
    ['', 'SegTrial: created the demo trial. Demo accounts (shown once, write them down):', `  ${'role'.padEnd(13)} ${'username'.padEnd(14)} ${'password'.padEnd(20)} sites`, ...lines, ''].join('\n'),
  );
}
