// `npm start`: installs what is missing, builds, and starts SegTrial on the embedded database
// (PGlite under .data/) with the demo trial. Set DATABASE_URL to use PostgreSQL instead,
// PORT / HOST to change the address, SEGTRIAL_DATA_DIR to move the embedded database.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules, ensureSystemPackages, run } from './lib/prerequisites.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

// mricron-data: the demo's synthetic cohort is built on its Colin27 brain; chromium prints the PDF reports.
ensureSystemPackages(['mricron-data', 'chromium']);
ensureNodeModules(root);

const env = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
if (!process.argv.includes('--no-build') && run(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { env }) !== 0) {
  process.exit(1);
}
const port = process.env.PORT ?? '3000';
const host = process.env.HOST ?? '127.0.0.1';
console.log(`\nSegTrial is starting on http://${host}:${port} (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite database'})`);
const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', port, '-H', host], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
