// Starts the production build on a fresh embedded database for the end-to-end tests.
// Playwright's webServer runs this; it is killed when the tests end.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const port = process.env.E2E_PORT ?? '3107';
const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-e2e-'));
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
  },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
