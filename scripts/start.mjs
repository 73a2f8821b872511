// `npm start`: installs what is missing, builds, and starts SegTrial on the embedded database
// (PGlite under .data/) with the demo trial. Set DATABASE_URL to use PostgreSQL instead,
// PORT / HOST to change the address, SEGTRIAL_DATA_DIR to move the embedded database.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules, ensureSystemPackages, run } from './lib/prerequisites.mjs';
import { sourceHash } from './lib/source-hash.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

// mricron-data: the demo's synthetic cohort is built on its Colin27 brain; chromium prints the PDF reports.
ensureSystemPackages(['mricron-data', 'chromium']);
ensureNodeModules(root);

const env = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
// A build is reused when it was made from the same sources (scripts/lib/source-hash.mjs); --build forces one.
const distDir = path.join(root, process.env.SEGTRIAL_NEXT_DIST ?? '.next');
const hashFile = path.join(distDir, 'segtrial-source-hash');
const hash = sourceHash(root);
const current = existsSync(path.join(distDir, 'BUILD_ID')) && existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === hash;
if (process.argv.includes('--no-build') || (current && !process.argv.includes('--build'))) {
  if (current) console.log('SegTrial: the production build matches the sources; starting it without rebuilding.');
} else {
  if (run(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { env }) !== 0) process.exit(1);
  writeFileSync(hashFile, `${hash}\n`);
}
// SEGTRIAL_PACS=demo: a local Orthanc (DICOMweb) beside the app, holding the demo patients' studies
// (DEMO-MRN-001…) under .data/orthanc; the app talks to it as to a hospital PACS (docs/pacs.md).
let pacs = null;
if (process.env.SEGTRIAL_PACS === 'demo') {
  ensureSystemPackages(['orthanc', 'orthanc-dicomweb']);
  const { startOrthanc } = await import('./lib/orthanc-server.mjs');
  pacs = await startOrthanc({ storageDir: path.join(root, '.data', 'orthanc') });
  Object.assign(env, { SEGTRIAL_PACS_URL: pacs.dicomWebUrl, SEGTRIAL_PACS_USERNAME: pacs.username, SEGTRIAL_PACS_PASSWORD: pacs.password });
  run(process.execPath, ['--import', 'tsx', 'scripts/seed-demo-pacs.ts'], { env });
  console.log(`Demo PACS (Orthanc, DICOMweb) at ${pacs.dicomWebUrl}`);
}
const port = process.env.PORT ?? '3000';
const host = process.env.HOST ?? '127.0.0.1';
console.log(`\nSegTrial is starting on http://${host}:${port} (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite database'})`);
const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', port, '-H', host], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', async (code) => {
  await pacs?.stop();
  process.exit(code ?? 0);
});
