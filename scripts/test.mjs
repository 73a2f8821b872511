// `npm test`: every test of SegTrial, as CI runs it.
//   1. type-check and lint (ESLint with type information, Prettier's check)   2. unit tests   3. integration tests on PGlite   4. the integration suite's
//   database-semantic files (all but test/integration/drivers.mjs's PGLITE_ONLY list, which run in step 3 only),
//   plus the concurrency and crash tests (test/postgres), on a real PostgreSQL server started here   5. production build + e2e
//   tests in Debian's Chromium (Playwright)   6. reliability (test/reliability, docs/reliability.md): the
//   production build on a PostgreSQL server under load, SIGKILL, pg_ctl stop -m immediate, a killed worker,
//   hostile input.
// `npm test -- --only unit,postgres` runs a subset (steps: typecheck, lint, unit, integration, postgres, e2e, reliability).
// Steps share the 2 cores (ALONGSIDE): typecheck, lint and the production build run beside the unit step, the
// postgres and then the reliability step beside the integration step (their output printed when the host ends);
// SEGTRIAL_TEST_SERIAL=1 runs every step one after another.
// Each step has a time limit (STEP_TIMEOUT_MINUTES; SEGTRIAL_TEST_TIMEOUT_SCALE=2 doubles them all): a
// hung step is stopped and fails instead of eating CI's whole limit. Each step's duration and the
// total are printed at the end.
import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from './lib/postgres-server.mjs';
import { PGLITE_ONLY, POSTGRES_STEP_ONLY } from '../test/integration/drivers.mjs';
import { patchDependencies } from './patch-dependencies.mjs';
import { ensureNodeModules, ensureSystemPackages, runWithTimeout } from './lib/prerequisites.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const STEPS = ['typecheck', 'lint', 'unit', 'integration', 'postgres', 'e2e', 'reliability'];
/** Per-step limits, well above what each step takes on the 2-core CI machine. */
const STEP_TIMEOUT_MINUTES = { typecheck: 10, lint: 20, unit: 20, integration: 45, postgres: 50, e2e: 45, reliability: 50, build: 20 };
const timeoutScale = Number(process.env.SEGTRIAL_TEST_TIMEOUT_SCALE ?? 1) || 1;
/** The running step's deadline (its commands share its limit) and, for a step run alongside another, where its output goes. */
const stepContext = new AsyncLocalStorage();
const run = (cmd, args, options = {}) => {
  const { deadline = Infinity, stdio } = stepContext.getStore() ?? {};
  return runWithTimeout(cmd, args, { ...options, ...(stdio ? { stdio } : {}), timeoutMs: Math.max(1000, deadline - Date.now()) });
};
/**
 * Steps run alongside the one named, one after another in a second lane, by default: the unit step and
 * the integration suite run their files one at a time (about one core's worth of work each), so on the
 * 2-core CI machine the other core runs typecheck, lint and the production build (`build`, when e2e or
 * reliability will use it) beside the unit step, and the PostgreSQL step and then the reliability step
 * beside the PGlite step (which takes about twice as long as the PostgreSQL step). A companion's output
 * is held back and printed whole when its host ends, so the log still reads step by step.
 * SEGTRIAL_TEST_SERIAL=1 runs every step one after another.
 */
const ALONGSIDE = process.env.SEGTRIAL_TEST_SERIAL === '1' ? {} : { unit: ['typecheck', 'lint', 'build'], integration: ['postgres', 'reliability'] };
const onlyIndex = process.argv.indexOf('--only');
const selected = new Set(onlyIndex >= 0 ? (process.argv[onlyIndex + 1] ?? '').split(',') : STEPS);

ensureSystemPackages(['chromium', 'postgresql', 'mricron-data', 'python3-torch', 'python3-nibabel', 'python3-scipy', 'python3-onnx', 'orthanc', 'orthanc-dicomweb', 'dicom3tools', 'python3-pydicom']);
ensureNodeModules(root);
for (const line of patchDependencies()) console.log(line);

// A renamed or removed file in the driver lists would otherwise be run on both drivers, or the list would rot, silently.
const missingListed = [...PGLITE_ONLY, ...POSTGRES_STEP_ONLY].filter((f) => !existsSync(path.join(root, f)));
if (missingListed.length) {
  console.error(`test/integration/drivers.mjs names files that do not exist: ${missingListed.join(', ')}`);
  process.exit(1);
}
/** vitest arguments leaving out the given files (the other integration step runs them). */
const excluding = (files) => files.flatMap((f) => ['--exclude', f]);

const reportDir = mkdtempSync(path.join(os.tmpdir(), 'segtrial-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
/** Every failed or skipped test by name, printed again after the step table so a CI log's tail says which. */
const failedTests = [];
const skippedTests = [];
const failedSteps = [];
const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
/**
 * Both integration steps share, for this run, the review-case fixtures' ingested studies
 * (test/integration/support/tiny-study-ingest.ts) and the migrated PGlite database each file starts from (support/test-database.ts).
 */
const ingestCache = { SEGTRIAL_TEST_INGEST_CACHE: path.join(reportDir, 'ingest-cache'), SEGTRIAL_TEST_DB_TEMPLATE: path.join(reportDir, 'db-template') };
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** Runs one vitest project and adds its counts; a run with no test at all counts as a failure. */
async function vitest(projects, label, env, selection = projects.split(',').flatMap((p) => ['--project', p])) {
  const out = path.join(reportDir, `${label}.json`);
  const status = await run(bin('vitest'), ['run', ...selection, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], { env: { ...baseEnv, NODE_ENV: 'test', ...env } });
  if (!existsSync(out)) {
    totals.failed += 1;
    return false;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  for (const file of report.testResults ?? []) {
    const where = path.relative(root, file.name);
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed')) failedTests.push(`${label}: ${where}: ${(file.message ?? 'failed to run').split('\n')[0]}`);
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'failed') failedTests.push(`${label}: ${where} › ${t.fullName}: ${(t.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300)}`);
      else if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo') skippedTests.push(`${label}: ${where} › ${t.fullName}`);
    }
  }
  if (report.numTotalTests === 0) {
    console.error(`${label}: no tests ran`);
    return false;
  }
  return status === 0;
}

/**
 * A failed browser test in one line a CI log's tail can carry: the assertion, the locator it waited on
 * and the spec's line (the full error is printed above by the list reporter, often out of a tail's reach).
 */
function describeE2eError(error) {
  if (!error) return 'no error recorded';
  // eslint-disable-next-line no-control-regex
  const lines = (error.message ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const locator = lines.find((l) => /^\s*Locator:/.test(l))?.trim();
  const where = error.location ? `${path.relative(root, error.location.file)}:${error.location.line}` : undefined;
  return [lines[0], locator, where && `at ${where}`].filter(Boolean).join(' · ');
}

let building;
/** One production build per run, shared by the e2e and reliability steps (started beside the unit step when that runs). */
function build() {
  building ??= run(bin('next'), ['build'], { env: { ...baseEnv, NODE_ENV: 'production' } }).then((status) => status === 0);
  return building;
}

const steps = {
  build,
  typecheck: async () => (await run(bin('tsc'), ['--noEmit', '-p', '.'], { env: baseEnv })) === 0,
  // The whole tree (eslint.config.mjs, .prettierrc.json); both run even when the first fails.
  lint: async () => {
    const eslint = await run(bin('eslint'), ['--max-warnings', '0', '.'], { env: baseEnv });
    const prettier = await run(bin('prettier'), ['--check', '--log-level', 'warn', '.'], { env: baseEnv });
    return eslint === 0 && prettier === 0;
  },
  unit: async () => vitest('unit', 'unit'),
  integration: async () => vitest('integration', 'integration-pglite', { DATABASE_URL: '', ...ingestCache }, ['--project', 'integration', ...excluding(POSTGRES_STEP_ONLY)]),
  postgres: async () => {
    const server = await startPostgres();
    try {
      return await vitest('integration,postgres', 'integration-postgres', { DATABASE_URL: server.url, SEGTRIAL_PG_BIN: server.binDir, ...ingestCache }, [
        ...['integration', 'postgres'].flatMap((p) => ['--project', p]),
        ...excluding(PGLITE_ONLY),
      ]);
    } finally {
      server.destroy();
    }
  },
  e2e: async () => {
    if (!(await build())) {
      totals.failed += 1;
      return false;
    }
    const out = path.join(reportDir, 'e2e.json');
    const status = await run(bin('playwright'), ['test', '--reporter=list,json'], { env: { ...baseEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: out } });
    if (!existsSync(out)) {
      totals.failed += 1;
      return false;
    }
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const { stats } = report;
    const visit = (suite, titles) => {
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) {
          const name = `e2e: ${spec.file}:${spec.line} › ${[...titles, spec.title].join(' › ')}`;
          if (t.status === 'unexpected') failedTests.push(`${name}: ${describeE2eError(t.results?.at(-1)?.error)}`);
          else if (t.status === 'skipped') skippedTests.push(name);
        }
      }
      for (const child of suite.suites ?? []) visit(child, suite.file === child.file && child.title ? [...titles, child.title] : titles);
    };
    for (const suite of report.suites ?? []) visit(suite, []);
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
    return status === 0 && stats.expected > 0;
  },
  reliability: async () => {
    if (!(await build())) {
      totals.failed += 1;
      return false;
    }
    const server = await startPostgres();
    // CI runs half the fault sets (10 SIGKILLs, 5 database outages, each at a seeded random moment; about 2 minutes
    // less): the run stays under 30 minutes on 2 cores. The full sets (20 and 10, the files' defaults) run when the
    // files are run directly, or with RELIABILITY_CRASH_RUNS=20 RELIABILITY_OUTAGE_RUNS=10 npm test -- --only reliability.
    const faults = { RELIABILITY_CRASH_RUNS: process.env.RELIABILITY_CRASH_RUNS ?? '10', RELIABILITY_OUTAGE_RUNS: process.env.RELIABILITY_OUTAGE_RUNS ?? '5' };
    try {
      return await vitest('reliability', 'reliability', { DATABASE_URL: server.url, SEGTRIAL_PG_BIN: server.binDir, ...faults }, ['--config', 'test/reliability/vitest.config.ts']);
    } finally {
      server.destroy();
    }
  },
};

const minutes = (ms) => `${(ms / 60_000).toFixed(1)} min`;
const durations = [];
const runStarted = Date.now();
const limitOf = (name) => STEP_TIMEOUT_MINUTES[name] * timeoutScale * 60_000;
/** Runs one step within its own limit; `stdio` sends its commands' output elsewhere (a step run alongside). */
async function runStep(name, stdio) {
  const started = Date.now();
  let ok = false;
  try {
    ok = await stepContext.run({ deadline: started + limitOf(name), stdio }, () => steps[name]());
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  return { name, took: Date.now() - started, ok };
}
const record = (d, note = '') => {
  durations.push({ ...d, note });
  console.log(`=== ${d.name}: ${d.ok ? 'passed' : 'FAILED'} in ${minutes(d.took)}${note} ===`);
  if (!d.ok) failedSteps.push(d.name);
};
/** `build` is no step of its own: it runs early only for the steps that use it. */
const wanted = (name) => (name === 'build' ? selected.has('e2e') || selected.has('reliability') : selected.has(name));
/** A step runs in its host's lane when the host runs too (`--only typecheck` runs typecheck by itself). */
const hostOf = (name) => Object.keys(ALONGSIDE).find((host) => selected.has(host) && ALONGSIDE[host].includes(name));
for (const name of STEPS) {
  if (!selected.has(name) || hostOf(name)) continue;
  const lane = (async () => {
    const done = [];
    for (const n of (ALONGSIDE[name] ?? []).filter(wanted)) {
      const log = path.join(reportDir, `${n}.log`);
      const fd = openSync(log, 'w');
      console.log(`\n=== ${n} (limit ${minutes(limitOf(n))}) starts alongside ${name}; its output follows when it ends ===`);
      done.push({ ...(await runStep(n, ['ignore', fd, fd])), log, fd });
    }
    return done;
  })();
  console.log(`\n=== ${name} (limit ${minutes(limitOf(name))}) ===`);
  record(await runStep(name));
  for (const d of await lane) {
    closeSync(d.fd);
    console.log(`\n=== ${d.name} (ran alongside ${name}) ===`);
    process.stdout.write(readFileSync(d.log));
    record(d, ` (alongside ${name})`);
  }
}

rmSync(reportDir, { recursive: true, force: true });
console.log('\nstep durations:');
for (const d of durations) console.log(`  ${d.name.padEnd(12)} ${minutes(d.took).padStart(9)}  ${d.ok ? 'passed' : 'FAILED'}${d.note}`);
console.log(`  ${'total'.padEnd(12)} ${minutes(Date.now() - runStarted).padStart(9)}`);
console.log(`\n${failedSteps.length ? `FAILED steps: ${failedSteps.join(', ')}` : 'All test steps passed.'}`);
if (skippedTests.length) console.log(`\nskipped:\n${skippedTests.map((t) => `  ${t}`).join('\n')}`);
if (failedTests.length) console.log(`\nfailed:\n${failedTests.map((t) => `  ${t}`).join('\n')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
