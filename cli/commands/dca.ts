import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { decisionCurve } from '../../analysis/decision-curve';
import { decisionCurveBootstrap } from '../../analysis/decision-curve-bootstrap';
import { AnalysisInputError } from '../../analysis/errors';
import { formatCsv } from '../../analysis/format-csv';
import { parseCsv } from '../../analysis/parse-csv';
import type { DecisionCurveInput } from '../../analysis/prepare-decision-curve';
import { thresholdGrid } from '../../analysis/threshold-grid';
import { CliUsageError, type CliCommand } from '../command';

const USAGE = `Usage: segtrial dca --data FILE.csv --outcome COL --predictors A,B
         [--thresholds from:to:by] [--prevalence P] [--harm X | --harm A=X,B=Y]
         [--bootstrap N --seed S [--strata COL1,COL2] [--conf-level 0.95]] [--format csv|json]

Decision-curve analysis as R dcurves: one row per variable ('all', 'none', then each predictor)
and threshold, columns variable,label,n,threshold,pos_rate,tp_rate,fp_rate,harm,net_benefit,
net_intervention_avoided,standardized_net_benefit (+ net_benefit_lower,net_benefit_upper with
--bootstrap: percentile intervals, resampling within the strata columns' combinations).
Outcome must be 0/1; predictors risks in [0, 1] or 0/1 decisions. Rows with an empty or NA value
in a used column are dropped (as R's model.frame), with a note on stderr.
Default thresholds 0:0.99:0.01. Non-finite values print as NaN, Inf, -Inf (strings in JSON).`;

const COLUMNS = ['variable', 'label', 'n', 'threshold', 'pos_rate', 'tp_rate', 'fp_rate', 'harm', 'net_benefit', 'net_intervention_avoided', 'standardized_net_benefit'] as const;
const BOOT_COLUMNS = ['net_benefit_lower', 'net_benefit_upper'] as const;

function numberText(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  return String(x);
}

function parseNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new CliUsageError(`--${flag} must be a number, got '${text}'`);
  return value;
}

function parseInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new CliUsageError(`--${flag} must be a non-negative integer, got '${text}'`);
  return Number(text);
}

function parseHarm(text: string | undefined, predictors: readonly string[]): Record<string, number> | undefined {
  if (text === undefined) return undefined;
  if (!text.includes('=')) {
    const h = parseNumber('harm', text);
    return Object.fromEntries(predictors.map((p) => [p, h]));
  }
  const harm: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [name, value] = part.split('=');
    if (!name || value === undefined || !predictors.includes(name)) {
      throw new CliUsageError(`--harm entries must be PREDICTOR=VALUE for a listed predictor, got '${part}'`);
    }
    harm[name] = parseNumber('harm', value);
  }
  return harm;
}

const command: CliCommand = {
  name: 'dca',
  summary: 'Decision-curve analysis (dcurves layout) from a CSV, with optional bootstrap CIs',
  usage: USAGE,
  async run(argv) {
    const values = parseArgs({
      args: [...argv],
      options: {
        data: { type: 'string' },
        outcome: { type: 'string' },
        predictors: { type: 'string' },
        thresholds: { type: 'string' },
        prevalence: { type: 'string' },
        harm: { type: 'string' },
        bootstrap: { type: 'string' },
        seed: { type: 'string' },
        strata: { type: 'string' },
        'conf-level': { type: 'string' },
        format: { type: 'string', default: 'csv' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
    if (!values.data || !values.outcome || !values.predictors) {
      throw new CliUsageError(`--data, --outcome and --predictors are required`);
    }
    const format = values.format;
    if (format !== 'csv' && format !== 'json') throw new CliUsageError(`--format must be csv or json, got '${String(format)}'`);
    const predictors = values.predictors
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    if (predictors.length === 0) throw new CliUsageError('--predictors needs at least one column name');
    const strataColumns =
      values.strata
        ?.split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '') ?? [];
    const replicates = parseInteger('bootstrap', values.bootstrap);
    const seed = parseInteger('seed', values.seed);
    if (replicates === undefined && (seed !== undefined || strataColumns.length > 0 || values['conf-level'] !== undefined)) {
      throw new CliUsageError('--seed, --strata and --conf-level need --bootstrap N');
    }
    if (replicates !== undefined && seed === undefined) throw new CliUsageError('--bootstrap needs --seed S (for reproducible intervals)');

    let thresholds: readonly number[] | undefined;
    if (values.thresholds !== undefined) {
      const parts = values.thresholds.split(':');
      if (parts.length !== 3) throw new CliUsageError(`--thresholds must be from:to:by, got '${values.thresholds}'`);
      const [from, to, by] = parts.map((p) => parseNumber('thresholds', p)) as [number, number, number];
      try {
        thresholds = thresholdGrid(from, to, by);
      } catch (error) {
        if (error instanceof AnalysisInputError) throw new CliUsageError(`--thresholds: ${error.message}`);
        throw error;
      }
    }
    const prevalence = values.prevalence === undefined ? undefined : parseNumber('prevalence', values.prevalence);

    let text: string;
    try {
      text = await readFile(values.data, 'utf8');
    } catch (error) {
      throw new CliUsageError(`cannot read --data ${values.data}: ${(error as Error).message}`);
    }
    try {
      const table = parseCsv(text);
      const columnIndex = (name: string): number => {
        const j = table.header.indexOf(name);
        if (j < 0) throw new CliUsageError(`column '${name}' not in ${values.data} (columns: ${table.header.join(', ')})`);
        return j;
      };
      const numericColumns = [values.outcome, ...predictors].map((name) => ({ name, j: columnIndex(name) }));
      const strataIdx = strataColumns.map(columnIndex);
      const missing = (v: string | undefined) => v === undefined || v.trim() === '' || v.trim() === 'NA';
      const complete = table.rows.filter((row) => numericColumns.every(({ j }) => !missing(row[j])));
      const dropped = table.rows.length - complete.length;
      if (dropped > 0) process.stderr.write(`segtrial dca: dropped ${dropped} row(s) with missing values\n`);
      const numbers = (name: string, j: number): number[] =>
        complete.map((row, r) => {
          const raw = (row[j] ?? '').trim();
          const value = Number(raw);
          if (!Number.isFinite(value)) throw new CliUsageError(`column '${name}': '${raw}' is not a number (data row ${r + 1})`);
          return value;
        });
      const [outcomeColumn, ...predictorColumns] = numericColumns;
      const input: DecisionCurveInput = {
        outcome: numbers(outcomeColumn?.name ?? '', outcomeColumn?.j ?? 0),
        predictors: Object.fromEntries(predictorColumns.map(({ name, j }) => [name, numbers(name, j)])),
        ...(thresholds ? { thresholds } : {}),
        ...(prevalence !== undefined ? { prevalence } : {}),
        ...(values.harm !== undefined ? { harm: parseHarm(values.harm, predictors) ?? {} } : {}),
      };
      const columns: readonly string[] = replicates === undefined ? COLUMNS : [...COLUMNS, ...BOOT_COLUMNS];
      const rows: readonly Record<string, string | number>[] =
        replicates === undefined
          ? (decisionCurve(input) as unknown as Record<string, string | number>[])
          : (decisionCurveBootstrap(input, {
              replicates,
              seed: seed ?? 0,
              ...(values['conf-level'] !== undefined ? { confLevel: parseNumber('conf-level', values['conf-level']) } : {}),
              ...(strataIdx.length > 0 ? { strata: complete.map((row) => strataIdx.map((j) => row[j] ?? '').join('\u001f')) } : {}),
            }).rows as unknown as Record<string, string | number>[]);
      if (format === 'json') {
        const printable = rows.map((row) =>
          Object.fromEntries(
            columns.map((c) => {
              const v = row[c] ?? '';
              return [c, typeof v === 'number' && !Number.isFinite(v) ? numberText(v) : v];
            }),
          ),
        );
        process.stdout.write(`${JSON.stringify(printable, null, 2)}\n`);
      } else {
        process.stdout.write(formatCsv({ columns, rows: rows.map((row) => columns.map((c) => row[c])) }));
      }
      return 0;
    } catch (error) {
      if (error instanceof AnalysisInputError) throw new CliUsageError(`${error.code}: ${error.message}`);
      throw error;
    }
  },
};

export default command;
