/**
 * Benchmark: the analysis dataset export (GET /api/analytics/:trialId/export?what=dataset&format=csv)
 * on the demo trial with its 160 simulated participants, against the work that export did before it
 * computed only what it exports: the whole report (every bootstrap) plus the dataset table, measured
 * in the same run on the same database: the reference runs the steps the route took before (session,
 * access, dataset, report, CSV, audit row) through the same domain functions.
 *
 *   node --import tsx bench/analysis/export.ts [--pairs 7]
 *
 * The export is timed twice: after a write (nothing remembered: the dataset is built; no report is
 * computed) and with the data unchanged since the last read (the dataset remembered by its data
 * stamp, as for the dictionary or PDF fetched after the dataset). A table export is timed the same
 * two ways. Each figure is the median over alternating pairs (reference then export, export then
 * reference) of the pair's ratio, in wall-clock time and in the process's CPU time (PGlite runs in
 * this process, so CPU time is the work done, whatever else the machine runs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../lib/median';

const { values } = parseArgs({ options: { pairs: { type: 'string', default: '7' } } });
const PAIRS = Number(values.pairs);
const PASSWORD = 'bench-export-password';

const root = mkdtempSync(path.join(os.tmpdir(), 'segtrial-bench-export-'));
process.env.SEGTRIAL_STORAGE_ROOT = path.join(root, 'storage');
process.env.SEGTRIAL_DEMO_CASES = 'none';

// Imported after the environment is set: env() reads it once.
const { openDatabase } = await import('../../db/client');
const { formatCsv } = await import('../../analysis/format-csv');
const { createContentStore } = await import('../../imaging/storage/content-store');
const { analysisDatasetTable } = await import('../../server/domain/analytics/analysis-dataset-table');
const { clearTrialAnalyticsCache } = await import('../../server/domain/analytics/compute-trial-analytics-cached');
const { clearAnalysisDatasetCache } = await import('../../server/domain/analytics/load-analysis-dataset');
const { buildAnalysisDatasetReference } = await import('./reference-build-analysis-dataset');
const { analyzeTrialDataset } = await import('../../server/domain/analytics/analyze-trial-dataset');
const { recordAnalyticsExport } = await import('../../server/domain/analytics/record-analytics-export');
const { loginUser } = await import('../../server/domain/auth/login-user');
const { resolveSession } = await import('../../server/domain/auth/resolve-session');
const { SESSION_COOKIE } = await import('../../server/domain/auth/session-token');
const { seedDemo } = await import('../../server/demo/seed-demo');
const { seedDemoAnalytics } = await import('../../server/demo/seed-demo-analytics');
const { resolveTrialAccess } = await import('../../server/domain/trials/trial-access');
const { handleAnalyticsExport } = await import('../../server/http/analytics-export');
const { trials } = await import('../../db/schema');
const { eq } = await import('drizzle-orm');

const handle = await openDatabase({ driver: 'pglite' });
try {
  await handle.migrate();
  const db = handle.db;
  await seedDemo({ db, password: PASSWORD });
  const [trial] = await db.select().from(trials).where(eq(trials.slug, 'demo'));
  if (!trial) throw new Error('demo trial missing');
  const seeded = await seedDemoAnalytics({ db, trialId: trial.id, mode: 'full' }).background;
  const { token } = await loginUser({ db, username: 'statistician', password: PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } });
  const store = createContentStore(process.env.SEGTRIAL_STORAGE_ROOT);
  const exportOf = (q: string) =>
    handleAnalyticsExport({ db, trialId: trial.id, req: new Request(`http://127.0.0.1/api/analytics/${trial.id}/export?${q}`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } }) });

  interface Timing {
    readonly wall: number;
    readonly cpu: number;
  }
  async function timed(run: () => Promise<void>, before?: () => void | Promise<void>): Promise<Timing> {
    await before?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    return { wall, cpu: (c.user + c.system) / 1e6 };
  }
  /** Alternating A/B pairs; per pair A's time ÷ B's, the median of those ratios and of each side's times. */
  async function pairs(a: { run: () => Promise<void>; before?: () => void | Promise<void> }, b: { run: () => Promise<void>; before?: () => void | Promise<void> }) {
    const ta: Timing[] = [];
    const tb: Timing[] = [];
    for (let i = 0; i < PAIRS; i++) {
      if (i % 2 === 0) {
        ta.push(await timed(a.run, a.before));
        tb.push(await timed(b.run, b.before));
      } else {
        tb.push(await timed(b.run, b.before));
        ta.push(await timed(a.run, a.before));
      }
    }
    return {
      a: { wall: median(ta.map((t) => t.wall)), cpu: median(ta.map((t) => t.cpu)) },
      b: { wall: median(tb.map((t) => t.wall)), cpu: median(tb.map((t) => t.cpu)) },
      ratio: { wall: median(ta.map((t, i) => t.wall / tb[i]!.wall)), cpu: median(ta.map((t, i) => t.cpu / tb[i]!.cpu)) },
    };
  }
  const show = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(4)} s (CPU ${t.cpu.toFixed(4)} s)`;
  const showRatio = (r: { wall: number; cpu: number }) => `${r.wall.toFixed(1)}× (CPU ${r.cpu.toFixed(1)}×)`;

  const clearAll = () => {
    clearTrialAnalyticsCache();
    clearAnalysisDatasetCache();
  };
  let referenceCsv = '';
  // The steps the dataset export took before, with the same domain functions: session, access,
  // dataset, every figure of the report (thrown away), the CSV, the audit row.
  const reference = {
    before: clearAll,
    run: async () => {
      const caller = await resolveSession({ db, token, idleMinutes: 60 });
      if (!caller) throw new Error('no session');
      const access = await resolveTrialAccess({ db, user: caller.user, trialId: trial.id });
      const dataset = await buildAnalysisDatasetReference({ db, store, access });
      await analyzeTrialDataset({ db, dataset, access, user: caller.user });
      referenceCsv = formatCsv(analysisDatasetTable(dataset));
      await recordAnalyticsExport({
        db,
        trialId: trial.id,
        actor: { userId: caller.user.id, role: caller.user.role },
        request: { via: 'system' },
        record: { what: 'dataset', format: 'csv', snapshot: dataset.snapshot, bytes: new TextEncoder().encode(referenceCsv) },
      });
    },
  };
  let exportedCsv = '';
  const datasetExport = async () => {
    const response = await exportOf('what=dataset&format=csv');
    if (response.status !== 200) throw new Error(`dataset export answered ${response.status}: ${await response.text()}`);
    exportedCsv = await response.text();
  };
  // Warm-up: the first run of each path compiles its code.
  await reference.run();
  await datasetExport();
  const cold = await pairs(reference, { run: datasetExport, before: clearAll });
  // Data unchanged: an untimed export reads the data state first (the reference forgets everything).
  const warm = await pairs(reference, { run: datasetExport, before: datasetExport });
  const table = async () => {
    const response = await exportOf('what=table:arm_comparison&format=csv');
    if (response.status !== 200) throw new Error(`table export answered ${response.status}`);
    await response.arrayBuffer();
  };
  const tables = await pairs({ run: table, before: clearAll }, { run: table, before: table });

  const rows = exportedCsv.trimEnd().split('\r\n').length - 1;
  console.log(`analysis dataset export: demo trial, ${seeded} simulated participants seeded, ${rows} rows, ${PAIRS} alternating pairs, medians`);
  console.log(`  reference (dataset built + whole report, as the dataset export did before): ${show(cold.a)}`);
  console.log(`  dataset export through the route (session, access, data stamp, CSV, audit row):`);
  console.log(`    after a write (nothing remembered: dataset built, no report): ${show(cold.b)}, ratio ${showRatio(cold.ratio)}`);
  console.log(`    data unchanged (dataset remembered by the data stamp): ${show(warm.b)}, ratio ${showRatio(warm.ratio)}`);
  console.log(`  same bytes as the reference's CSV: ${exportedCsv === referenceCsv ? 'yes' : 'NO'}`);
  console.log(`  table export (arm_comparison, its one section computed): cold ${show(tables.a)}, data unchanged ${show(tables.b)} (ratio ${showRatio(tables.ratio)})`);
  if (exportedCsv !== referenceCsv) process.exitCode = 1;
} finally {
  await handle.close();
  rmSync(root, { recursive: true, force: true });
}
