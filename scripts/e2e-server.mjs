// Starts the production build on a fresh embedded database for the end-to-end tests.
// Playwright's webServer runs this; it is killed when the tests end.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { e2ePacsInfoFile, startOrthanc } from './lib/orthanc-server.mjs';

const port = process.env.E2E_PORT ?? '3107';
const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-e2e-'));
// A throwaway Orthanc as the hospital PACS (test/e2e/pacs.spec.ts): the app gets its URL, the spec
// reads where it is (to store a study in it) from a file named after the app's port.
const pacs = await startOrthanc();
writeFileSync(e2ePacsInfoFile(port), JSON.stringify({ dicomWebUrl: pacs.dicomWebUrl, username: pacs.username, password: pacs.password }));
const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', port, '-H', '127.0.0.1'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    SEGTRIAL_DATA_DIR: path.join(dataRoot, 'pglite'),
    SEGTRIAL_STORAGE_ROOT: path.join(dataRoot, 'storage'),
    SEGTRIAL_DEMO_PASSWORD: process.env.SEGTRIAL_DEMO_PASSWORD ?? 'e2e-demo-password',
    // The demo's patients without their MRI studies: background ingest and inference would compete with the tests for CPU.
    SEGTRIAL_DEMO_CASES: process.env.SEGTRIAL_DEMO_CASES ?? 'enroll',
    SEGTRIAL_PACS_URL: pacs.dicomWebUrl,
    SEGTRIAL_PACS_USERNAME: pacs.username,
    SEGTRIAL_PACS_PASSWORD: pacs.password,
  },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', async (code) => {
  await pacs.destroy();
  process.exit(code ?? 0);
});
