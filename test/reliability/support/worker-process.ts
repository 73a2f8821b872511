/**
 * One inference worker process for the worker-kill test: the production job handlers and worker
 * loop, with a short lease so a killed worker's job is handed on within seconds.
 *   DATABASE_URL=... SEGTRIAL_STORAGE_ROOT=... node --import tsx worker-process.ts WORKER_ID LEASE_SECONDS
 */
import { openDatabase } from '@/db/client';
import { jobHandlers } from '@/server/jobs/handlers';
import { runWorker } from '@/server/jobs/worker';

const [workerId = `worker-${process.pid}`, lease = '3'] = process.argv.slice(2);
const handle = await openDatabase({ driver: 'postgres', url: process.env.DATABASE_URL!, maxConnections: 2 });
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
console.log(`worker ${workerId} ready`);
await runWorker({ db: handle.db, workerId, handlers: jobHandlers(handle.db), leaseSeconds: Number(lease), pollMs: 200, signal: controller.signal });
await handle.close();
