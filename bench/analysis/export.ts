/**
 * Benchmark: the analysis dataset export (GET /api/analytics/:trialId/export?what=dataset&format=csv)
 * on the demo trial with its 160 simulated participants, against the work that export did before it
 * computed only what it exports: the whole report (every bootstrap) plus the dataset table, measured
 * in the same run on the same database. The reference runs the steps the route took before (session,
 * access, dataset, report, CSV, audit row) through the same domain functions, except the dataset
 * build, which is the previous code kept verbatim (reference-build-analysis-dataset.ts): the
 * reference stays the old work however fast the application's build gets.
 *
 *   node --import tsx bench/analysis/export.ts [--pairs 7]
 *
 * The export is timed after a write made through the domain functions (an outcome correction; an
 * enrolment with its randomization: the parts of the dataset whose tables changed are read again,
 * and each such export's bytes are checked against a fresh build by the previous code), with the
 * data unchanged since the last read, and with nothing remembered (every part read, as the first
 * export after a start). A table export is timed cold and unchanged. Each figure is the median over
 * alternating pairs (reference then export, export then reference) of the pair's ratio, in
 * wall-clock time and in the process's CPU time (PGlite runs in this process, so CPU time is the
 * work done, whatever else the machine runs). Both sides of an after-a-write pair follow the same
 * kind of write.
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
const { clearDatasetCsvCache } = await import('../../server/domain/analytics/dataset-csv');
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
const { enrollParticipant } = await import('../../server/domain/enrollment/enroll-participant');
const { randomizeParticipant } = await import('../../server/domain/enrollment/randomize-participant');
const { recordFollowUpOutcome } = await import('../../server/domain/outcomes/record-follow-up-outcome');
const { listCurrentOutcomes } = await import('../../server/domain/outcomes/list-current-outcomes');
const { participants, sites, trials } = await import('../../db/schema');
const { and, eq, like } = await import('drizzle-orm');

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
  interface Side {
    readonly run: () => Promise<void>;
    readonly before?: () => void | Promise<void>;
    readonly after?: () => void | Promise<void>;
  }
  async function timed({ run, before, after }: Side): Promise<Timing> {
    await before?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    await after?.();
    return { wall, cpu: (c.user + c.system) / 1e6 };
  }
  /** Alternating A/B pairs; per pair A's time ÷ B's, the median of those ratios and of each side's times. */
  async function pairs(a: Side, b: Side) {
    const ta: Timing[] = [];
    const tb: Timing[] = [];
    for (let i = 0; i < PAIRS; i++) {
      if (i % 2 === 0) {
        ta.push(await timed(a));
        tb.push(await timed(b));
      } else {
        tb.push(await timed(b));
        ta.push(await timed(a));
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
    clearDatasetCsvCache();
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
  // Writes through the domain functions, as a coordinator makes them between two exports: an outcome
  // correction (participant_outcomes: one part of the dataset is read again) and an enrolment with its
  // randomization (participants and allocations: the largest part is read again). Neither changes
  // how much the reference's report computes (a withdrawal or deviation would shrink its populations).
  const SYSTEM = { actor: { userId: null, role: null }, request: { via: 'system' as const } };
  const everything = { trialId: trial.id, siteIds: null };
  const today = new Date().toISOString().slice(0, 10);
  const simulated = await db
    .select({ id: participants.id })
    .from(participants)
    .where(and(eq(participants.trialId, trial.id), like(participants.studyId, 'SIM-%')));
  const [site] = await db.select().from(sites).where(eq(sites.trialId, trial.id)).orderBy(sites.code);
  let written = 0;
  const writes = {
    'an outcome correction': async () => {
      // The current outcome of the next simulated participant, corrected with a new note (the outcome_note column changes).
      const id = simulated[written++ % simulated.length]!.id;
      const current = (await listCurrentOutcomes({ db, access: everything })).find((o) => o.outcome.participantId === id)!.outcome;
      const { referenceHighGrade, whoGrade, progressionFree6m, assessedOn } = current;
      const reference = current.referenceStudyId && current.referenceLabelsSha256 ? { studyId: current.referenceStudyId, labelsSha256: current.referenceLabelsSha256 } : null;
      await recordFollowUpOutcome({
        db,
        access: everything,
        participantId: id,
        input: { referenceHighGrade, whoGrade, progressionFree6m, reference, assessedOn, note: `bench correction ${written}`, supersedesId: current.id },
        ...SYSTEM,
      });
    },
    'an enrolment and randomization': async () => {
      const enrolled = await enrollParticipant({
        db,
        access: everything,
        input: {
          trialId: trial.id,
          siteId: site!.id,
          studyId: `BENCH-${String(++written).padStart(4, '0')}`,
          baseline: { age: 58, sex: 'F', scannerVendor: 'Siemens', fieldStrength: '3T' },
          levels: { age_band: '50-64' },
          eligibility: { adult: true, mri_complete: true, consent: true, prior_treatment: false },
          consentDate: today,
        },
        ...SYSTEM,
      });
      await randomizeParticipant({ db, access: everything, participantId: enrolled.id, ...SYSTEM });
    },
  };
  // After each export that follows a write, its bytes are checked against a fresh build by the previous code (untimed).
  let stale = 0;
  const checkFresh = async () => {
    const caller = await resolveSession({ db, token, idleMinutes: 60 });
    const access = await resolveTrialAccess({ db, user: caller!.user, trialId: trial.id });
    if (formatCsv(analysisDatasetTable(await buildAnalysisDatasetReference({ db, store, access }))) !== exportedCsv) stale++;
  };

  // Warm-up: the first runs of each path compile its code.
  await reference.run();
  for (const write of Object.values(writes)) {
    for (let i = 0; i < 3; i++) {
      await write();
      await datasetExport();
      await datasetExport();
    }
  }
  const afterWrite: [string, Awaited<ReturnType<typeof pairs>>][] = [];
  for (const [name, write] of Object.entries(writes)) {
    const before = async () => {
      await write();
      clearAll(); // the reference remembers nothing
    };
    afterWrite.push([name, await pairs({ ...reference, before }, { run: datasetExport, before: write, after: checkFresh })]);
  }
  const cold = await pairs(reference, { run: datasetExport, before: clearAll });
  // Data unchanged: an untimed export reads the data state first (the reference forgets everything).
  const warm = await pairs(reference, { run: datasetExport, before: datasetExport });
  const table = async () => {
    const response = await exportOf('what=table:arm_comparison&format=csv');
    if (response.status !== 200) throw new Error(`table export answered ${response.status}`);
    await response.arrayBuffer();
  };
  const tables = await pairs({ run: table, before: clearAll }, { run: table, before: table });

  // The same data state through both: the bytes must be the same.
  await reference.run();
  await datasetExport();
  const rows = exportedCsv.trimEnd().split('\r\n').length - 1;
  console.log(`analysis dataset export: demo trial, ${seeded} simulated participants seeded, ${rows} rows at the end, ${PAIRS} alternating pairs per case, medians`);
  console.log(`  reference (previous dataset build + whole report, as the dataset export did before): ${show(cold.a)}`);
  console.log(`  dataset export through the route (session, access, data stamps, CSV, audit row):`);
  for (const [name, r] of afterWrite) console.log(`    after ${name} (the changed parts read again): ${show(r.b)}, ratio ${showRatio(r.ratio)}`);
  console.log(`    data unchanged (dataset remembered by its data stamps): ${show(warm.b)}, ratio ${showRatio(warm.ratio)}`);
  console.log(`    nothing remembered (first export after a start: every part read): ${show(cold.b)}, ratio ${showRatio(cold.ratio)}`);
  console.log(`  exports after a write equal to a fresh build by the previous code: ${stale === 0 ? 'all' : `NO (${stale} stale)`}`);
  console.log(`  same bytes as the reference's CSV: ${exportedCsv === referenceCsv ? 'yes' : 'NO'}`);
  console.log(`  table export (arm_comparison, its one section computed): cold ${show(tables.a)}, data unchanged ${show(tables.b)} (ratio ${showRatio(tables.ratio)})`);
  if (exportedCsv !== referenceCsv || stale > 0) process.exitCode = 1;
} finally {
  await handle.close();
  rmSync(root, { recursive: true, force: true });
}
