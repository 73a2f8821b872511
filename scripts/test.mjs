// `npm test`: every test of SegTrial, as CI runs it.
//   1. type-check   2. unit tests   3. integration tests on PGlite   4. the same integration suite,
//   plus the concurrency and crash tests (test/postgres), on a real PostgreSQL server started here   5. production build + e2e
//   tests in Debian's Chromium (Playwright)   6. reliability (test/reliability, docs/reliability.md): the
//   production build on a PostgreSQL server under load, SIGKILL, pg_ctl stop -m immediate, a killed worker,
//   hostile input.
// `npm test -- --only unit,postgres` runs a subset (steps: typecheck, unit, integration, postgres, e2e, reliability).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from './lib/postgres-server.mjs';
import { ensureNodeModules, ensureSystemPackages, run } from './lib/prerequisites.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const STEPS = ['typecheck', 'unit', 'integration', 'postgres', 'e2e', 'reliability'];
const onlyIndex = process.argv.indexOf('--only');
const selected = new Set(onlyIndex >= 0 ? (process.argv[onlyIndex + 1] ?? '').split(',') : STEPS);

ensureSystemPackages(['chromium', 'postgresql', 'mricron-data', 'python3-torch', 'python3-nibabel', 'python3-scipy', 'python3-onnx', 'orthanc', 'orthanc-dicomweb', 'dicom3tools', 'python3-pydicom']);
ensureNodeModules(root);

const reportDir = mkdtempSync(path.join(os.tmpdir(), 'segtrial-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];
const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** Runs one vitest project and adds its counts; a run with no test at all counts as a failure. */
function vitest(projects, label, env, selection = projects.split(',').flatMap((p) => ['--project', p])) {
  const out = path.join(reportDir, `${label}.json`);
  const status = run(bin('vitest'), ['run', ...selection, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], { env: { ...baseEnv, NODE_ENV: 'test', ...env } });
  if (!existsSync(out)) {
    totals.failed += 1;
    return false;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  if (report.numTotalTests === 0) {
    console.error(`${label}: no tests ran`);
    return false;
  }
  return status === 0;
}

let built = false;
/** One production build per run, shared by the e2e and reliability steps. */
function build() {
  built ||= run(bin('next'), ['build'], { env: { ...baseEnv, NODE_ENV: 'production' } }) === 0;
  return built;
}

const steps = {
  typecheck: async () => run(bin('tsc'), ['--noEmit', '-p', '.'], { env: baseEnv }) === 0,
  unit: async () => vitest('unit', 'unit'),
  integration: async () => vitest('integration', 'integration-pglite', { DATABASE_URL: '' }),
  postgres: async () => {
    const server = await startPostgres();
    try {
      return vitest('integration,postgres', 'integration-postgres', { DATABASE_URL: server.url, SEGTRIAL_PG_BIN: server.binDir });
    } finally {
      server.destroy();
    }
  },
  e2e: async () => {
    if (!build()) {
      totals.failed += 1;
      return false;
    }
    const out = path.join(reportDir, 'e2e.json');
    const status = run(bin('playwright'), ['test', '--reporter=list,json'], { env: { ...baseEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: out } });
    if (!existsSync(out)) {
      totals.failed += 1;
      return false;
    }
    const { stats } = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
    return status === 0 && stats.expected > 0;
  },
  reliability: async () => {
    if (!build()) {
      totals.failed += 1;
      return false;
    }
    const started = Date.now();
    const server = await startPostgres();
    try {
      return vitest('reliability', 'reliability', { DATABASE_URL: server.url, SEGTRIAL_PG_BIN: server.binDir }, ['--config', 'test/reliability/vitest.config.ts']);
    } finally {
      server.destroy();
      console.log(`reliability: ${((Date.now() - started) / 60_000).toFixed(1)} min`);
    }
  },
};

for (const name of STEPS) {
  if (!selected.has(name)) continue;
  console.log(`\n=== ${name} ===`);
  if (!(await steps[name]())) failedSteps.push(name);
}

rmSync(reportDir, { recursive: true, force: true });
console.log(`\n${failedSteps.length ? `FAILED steps: ${failedSteps.join(', ')}` : 'All test steps passed.'}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
