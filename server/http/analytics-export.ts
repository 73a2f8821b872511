import { formatCsv } from '../../analysis/format-csv';
import type { Database } from '../../db/client';
import { createContentStore } from '../../imaging/storage/content-store';
import { analyzeTrialDataset } from '../domain/analytics/analyze-trial-dataset';
import { buildAnalyticsTable } from '../domain/analytics/build-analytics-table';
import { DATASET_EXPORTS } from '../domain/analytics/dataset-exports';
import { loadAnalysisDataset } from '../domain/analytics/load-analysis-dataset';
import { loadAnalysisSources } from '../domain/analytics/load-analysis-sources';
import { recordAnalyticsExport } from '../domain/analytics/record-analytics-export';
import { renderReportPdf } from '../domain/analytics/render-report-pdf';
import { requireLoadedAnalyticsPlan } from '../domain/analytics/require-loaded-analytics-plan';
import { SESSION_COOKIE } from '../domain/auth/session-token';
import { resolveTrialAccess } from '../domain/trials/trial-access';
import { env } from '../env';
import type { AppErrorCode } from '../errors';
import { ANALYTICS_ROLES } from '../routers/analytics';
import { parseCookies } from './cookies';
import { defineRoute, refuse, runRoute } from './route';

const fail = (code: AppErrorCode, message: string): never => refuse(code, message);

/** JSON with R/dcurves spellings for non-finite numbers, as `segtrial dca --format json`. */
function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : '-Inf') : v), 2);
}

/**
 * GET an export of a trial's analysis: `what` = table:<name> | report | dataset | dictionary | pdf,
 * `format` = csv | json (pdf for the report PDF). Statisticians, monitors and admins with access to
 * the trial; others 403, a trial without membership 404. Every file carries the dataset snapshot it
 * came from (headers X-SegTrial-Dataset-SHA256 / -Read-At, and inside JSON) and writes an
 * 'export.created' audit event with the file's hash.
 */
export const analyticsExportRoute = defineRoute<'trialId'>({
  name: 'analytics-export',
  roles: ANALYTICS_ROLES,
  ids: { trialId: 'Trial not found.' },
  async handle({ db, req, url, user, actor, request, params: { trialId } }) {
    const config = env();
    const token = parseCookies(req.headers.get('cookie')).get(SESSION_COOKIE) ?? '';
    const what = url.searchParams.get('what') ?? 'report';
    const format = url.searchParams.get('format') ?? (what === 'pdf' ? 'pdf' : 'csv');
    const access = await resolveTrialAccess({ db, user, trialId });
    // The trial, its plan and the dataset's rows in one statement after the stamps, or none when
    // nothing changed since the last read (loadAnalysisSources).
    const loaded = await loadAnalysisSources({ db, trialId });
    // Every export is by arm (the dataset's arm column, the per-arm tables): none for a blinded reader,
    // and, as the report, nothing by arm before the analysis plan is locked.
    const { design, settings } = await requireLoadedAnalyticsPlan({ db, role: user.role, access, sources: loaded.sources });
    const store = createContentStore(config.SEGTRIAL_STORAGE_ROOT);
    // Only what is exported is computed: the dataset-derived files need no figure of the report, a
    // table only the sections it reads. The dataset and each section are remembered per data state.
    const dataset = await loadAnalysisDataset({ db, store, access, loaded, design });
    let snapshot = dataset.snapshot;
    const base = `segtrial-${dataset.trial.slug}`;
    let body: Uint8Array;
    let type: string;
    let filename: string;
    if (what === 'pdf') {
      if (format !== 'pdf') return fail('INVALID_INPUT', "The report PDF has format 'pdf'.");
      const rendered = await renderReportPdf({ url: `${url.origin}/statistician/${trialId}/print`, cookie: { name: SESSION_COOKIE, value: token } });
      body = rendered.pdf;
      snapshot = { sha256: rendered.snapshotSha256, builtAt: rendered.snapshotBuiltAt };
      type = 'application/pdf';
      filename = `${base}-report.pdf`;
    } else {
      if (format !== 'csv' && format !== 'json') return fail('INVALID_INPUT', `format must be csv or json, got '${format}'.`);
      let content: { csv: () => string; json: () => unknown };
      const fromDataset = Object.hasOwn(DATASET_EXPORTS, what) ? await DATASET_EXPORTS[what]!({ dataset, db }) : null;
      if (fromDataset) {
        content = {
          csv: fromDataset.csv ?? (() => formatCsv(fromDataset.table)),
          json: fromDataset.json ?? (() => ({ columns: fromDataset.table.columns, rows: fromDataset.table.rows })),
        };
      } else if (what === 'report') {
        if (format === 'csv') return fail('INVALID_INPUT', 'The whole report is JSON; export one table as CSV with what=table:<name>.');
        const loaded = await analyzeTrialDataset({ db, dataset, access, user, settings });
        content = { csv: () => '', json: () => ({ report: loaded.report, consort: loaded.consort, methods: loaded.methods, tables: loaded.tables }) };
      } else if (what.startsWith('table:')) {
        const table = await buildAnalyticsTable({ db, dataset, access, user, settings, name: what.slice('table:'.length) });
        content = { csv: () => formatCsv(table), json: () => ({ name: table.name, title: table.title, columns: table.columns, rows: table.rows }) };
      } else return fail('INVALID_INPUT', `what must be table:<name>, report, ${Object.keys(DATASET_EXPORTS).join(', ')} or pdf, got '${what}'.`);
      const text = format === 'csv' ? content.csv() : jsonText({ snapshot, trial: dataset.trial, ...(content.json() as object) });
      body = new TextEncoder().encode(text);
      type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json';
      filename = `${base}-${what.replace(/^table:/, '').replace(/[^A-Za-z0-9_-]/g, '-')}.${format}`;
    }
    const fileSha256 = await recordAnalyticsExport({
      db,
      trialId,
      actor,
      request,
      record: { what, format, snapshot, bytes: body },
    });
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': type,
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
        'x-segtrial-dataset-sha256': snapshot.sha256,
        'x-segtrial-dataset-read-at': snapshot.builtAt,
        'x-segtrial-file-sha256': fileSha256,
      },
    });
  },
});

export const handleAnalyticsExport = ({ db, req, trialId }: { db: Database; req: Request; trialId: string }) => runRoute(analyticsExportRoute, { db, req, params: { trialId } });
