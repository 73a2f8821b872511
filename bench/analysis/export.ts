/**
 * Benchmark: the analysis dataset export (GET /api/analytics/:trialId/export?what=dataset&format=csv)
 * on the demo trial with its 160 simulated participants, against the work that export did before it
 * computed only what it exports: the whole report (every bootstrap) plus the dataset table, measured
 * in the same run on the same database: the reference runs the steps the route took before (session,
 * access, dataset, report, CSV, audit row) through the same domain functions.
 *
 *   node --import tsx bench/analysis/export.ts [--repeats 5]
 *
 * The export is timed twice: after a write (the dataset is built; no report is computed) and with
 * the data unchanged since the last read (the dataset remembered by its data stamp, as for the
 * dictionary or PDF fetched after the dataset). A table export is timed the same two ways.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '5' } } });
const REPEATS = Number(values.repeats);
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
const { buildAnalysisDataset } = await import('../../server/domain/analytics/build-analysis-dataset');
const { analyzeTrialDataset } = await import('../../server/domain/analytics/analyze-trial-dataset');
const { recordAnalyticsExport } = await import('../../server/domain/analytics/record-analytics-export');
const { loginUser } = await import('../../server/domain/auth/login-user');
const { resolveSession } = await import('../../server/domain/auth/resolve-session');
const { SESSION_COOKIE } = await import('../../server/domain/auth/session-token');
const { seedDemo } = await import('../../server/domain/demo/seed-demo');
const { seedDemoAnalytics } = await import('../../server/domain/demo/seed-demo-analytics');
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

  async function best(run: () => Promise<void>, before?: () => void): Promise<number> {
    const times: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      before?.();
      const t0 = performance.now();
      await run();
      times.push((performance.now() - t0) / 1000);
    }
    return Math.min(...times);
  }

  const clearAll = () => {
    clearTrialAnalyticsCache();
    clearAnalysisDatasetCache();
  };
  let referenceCsv = '';
  // The steps the dataset export took before, with the same domain functions: session, access,
  // dataset, every figure of the report (thrown away), the CSV, the audit row.
  const reference = await best(async () => {
    const caller = await resolveSession({ db, token, idleMinutes: 60 });
    if (!caller) throw new Error('no session');
    const access = await resolveTrialAccess({ db, user: caller.user, trialId: trial.id });
    const dataset = await buildAnalysisDataset({ db, store, access });
    await analyzeTrialDataset({ db, dataset, access, user: caller.user });
    referenceCsv = formatCsv(analysisDatasetTable(dataset));
    await recordAnalyticsExport({
      db,
      trialId: trial.id,
      actor: { userId: caller.user.id, role: caller.user.role },
      request: { via: 'system' },
      record: { what: 'dataset', format: 'csv', snapshot: dataset.snapshot, bytes: new TextEncoder().encode(referenceCsv) },
    });
  }, clearAll);
  let exportedCsv = '';
  const datasetExport = async () => {
    const response = await exportOf('what=dataset&format=csv');
    if (response.status !== 200) throw new Error(`dataset export answered ${response.status}: ${await response.text()}`);
    exportedCsv = await response.text();
  };
  const cold = await best(datasetExport, clearAll);
  const warm = await best(datasetExport);
  const table = async () => {
    const response = await exportOf('what=table:arm_comparison&format=csv');
    if (response.status !== 200) throw new Error(`table export answered ${response.status}`);
    await response.arrayBuffer();
  };
  const tableCold = await best(table, clearAll);
  const tableWarm = await best(table);

  const rows = exportedCsv.trimEnd().split('\r\n').length - 1;
  console.log(`analysis dataset export: demo trial, ${seeded} simulated participants seeded, ${rows} rows, best of ${REPEATS}`);
  console.log(`  reference (dataset built + whole report, as the dataset export did before): ${reference.toFixed(3)} s`);
  console.log(`  dataset export through the route (session, access, data stamp, CSV, audit row):`);
  console.log(`    data changed since the last read (dataset built, no report): ${cold.toFixed(4)} s, ratio ${(reference / cold).toFixed(1)}×`);
  console.log(`    data unchanged (dataset remembered by the data stamp): ${warm.toFixed(4)} s, ratio ${(reference / warm).toFixed(1)}×`);
  console.log(`  same bytes as the reference's CSV: ${exportedCsv === referenceCsv ? 'yes' : 'NO'}`);
  console.log(`  table export (arm_comparison): cold ${tableCold.toFixed(3)} s, data unchanged ${tableWarm.toFixed(4)} s (ratio ${(tableCold / tableWarm).toFixed(1)})`);
  if (exportedCsv !== referenceCsv) process.exitCode = 1;
} finally {
  await handle.close();
  rmSync(root, { recursive: true, force: true });
}
