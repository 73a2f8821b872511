import os from 'node:os';
import { parseArgs } from 'node:util';
import { jobHandlers } from '../../server/jobs/handlers';
import { runWorker } from '../../server/jobs/worker';
import { env } from '../../server/env';
import type { CliCommand } from '../command';
import { CliUsageError } from '../command';
import { withCliDatabase } from '../database';

const command: CliCommand = {
  name: 'worker',
  summary: 'worker [--id NAME]: run inference jobs from the shared PostgreSQL queue (scale out: one per GPU)',
  async run(argv) {
    const { values } = parseArgs({ args: [...argv], options: { id: { type: 'string' } } });
    if (!env().DATABASE_URL) {
      throw new CliUsageError('segtrial worker needs DATABASE_URL (PostgreSQL): the embedded database belongs to the app process, which runs its own in-process worker.');
    }
    const workerId = values.id ?? `${os.hostname()}-${process.pid}`;
    const controller = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => controller.abort());
    console.log(`segtrial worker ${workerId}: waiting for jobs (storage ${env().SEGTRIAL_STORAGE_ROOT}; Ctrl-C to stop)`);
    const done = await withCliDatabase(({ db }) => runWorker({ db, workerId, handlers: jobHandlers(db), signal: controller.signal }));
    console.log(`segtrial worker ${workerId}: stopped after ${done} jobs`);
    return 0;
  },
};
export default command;
