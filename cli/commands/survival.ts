import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { coxProportionalHazards } from '../../analysis/cox-proportional-hazards';
import { coxZph } from '../../analysis/cox-zph';
import { AnalysisInputError } from '../../analysis/errors';
import { kaplanMeier } from '../../analysis/kaplan-meier';
import { kaplanMeierMedian } from '../../analysis/kaplan-meier-median';
import { logRankTest } from '../../analysis/log-rank-test';
import { parseCsv } from '../../analysis/parse-csv';
import { rmstDifference } from '../../analysis/rmst-difference';
import { CliUsageError, type CliCommand } from '../command';

const USAGE = `Usage: segtrial survival --data FILE.csv --time COL --event COL --group COL
         [--strata COL] [--tau T] [--conf-level 0.95] [--json]

Time-to-event comparison of groups, as R's survival package:
  Kaplan-Meier per group: n, events, median with Brookmeyer-Crowley CI (log-log), as print(survfit(..., conf.type = "log-log"))
  log-rank test (stratified by --strata), as survdiff(Surv(time, event) ~ group [+ strata(s)])
  Cox hazard ratios against the first group in sorted order (Efron ties, stratified by --strata), as coxph,
  with the proportional-hazards test of cox.zph (transform "km")
  with --tau and two groups: restricted mean survival time to tau per group and their difference (second − first).
--event is 1 (event) or 0 (censored). Rows with an empty or NA value in a used column are dropped,
with a note on stderr. A median or limit that is not reached prints as NA (null in JSON).`;

function fmt(x: number | null, digits = 4): string {
  if (x === null) return 'NA';
  return Number.isInteger(x) ? String(x) : x.toPrecision(digits);
}

const command: CliCommand = {
  name: 'survival',
  summary: 'Kaplan-Meier medians, log-rank test and Cox hazard ratios from a CSV (R survival layout)',
  usage: USAGE,
  async run(argv) {
    const values = parseArgs({
      args: [...argv],
      options: {
        data: { type: 'string' },
        time: { type: 'string' },
        event: { type: 'string' },
        group: { type: 'string' },
        strata: { type: 'string' },
        tau: { type: 'string' },
        'conf-level': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
    if (!values.data || !values.time || !values.event || !values.group) throw new CliUsageError(`--data, --time, --event and --group are required`);
    const confLevel = values['conf-level'] === undefined ? 0.95 : Number(values['conf-level']);
    if (!(confLevel > 0 && confLevel < 1)) throw new CliUsageError(`--conf-level must be a number in (0, 1), got '${values['conf-level']}'`);
    const tau = values.tau === undefined ? undefined : Number(values.tau);
    if (tau !== undefined && !(tau > 0 && Number.isFinite(tau))) throw new CliUsageError(`--tau must be a positive number, got '${values.tau}'`);

    let text: string;
    try {
      text = await readFile(values.data, 'utf8');
    } catch (error) {
      throw new CliUsageError(`cannot read --data ${values.data}: ${(error as Error).message}`);
    }
    try {
      const table = parseCsv(text);
      const col = (name: string): number => {
        const j = table.header.indexOf(name);
        if (j < 0) throw new CliUsageError(`column '${name}' not in ${values.data} (columns: ${table.header.join(', ')})`);
        return j;
      };
      const used = [values.time, values.event, values.group, ...(values.strata ? [values.strata] : [])].map((name) => ({ name, j: col(name) }));
      const missing = (v: string | undefined) => v === undefined || v.trim() === '' || v.trim() === 'NA';
      const rows = table.rows.filter((row) => used.every(({ j }) => !missing(row[j])));
      if (rows.length < table.rows.length) process.stderr.write(`segtrial survival: dropped ${table.rows.length - rows.length} row(s) with missing values\n`);
      const numeric = (name: string): number[] =>
        rows.map((row, r) => {
          const raw = (row[col(name)] ?? '').trim();
          const v = Number(raw);
          if (!Number.isFinite(v)) throw new CliUsageError(`column '${name}': '${raw}' is not a number (data row ${r + 1})`);
          return v;
        });
      const time = numeric(values.time);
      const event = numeric(values.event);
      const group = rows.map((row) => (row[col(values.group as string)] ?? '').trim());
      const strata = values.strata ? rows.map((row) => (row[col(values.strata as string)] ?? '').trim()) : undefined;
      const levels = [...new Set(group)].sort();
      if (levels.length < 2) throw new CliUsageError(`--group column '${values.group}' has ${levels.length} level(s); at least two are needed`);

      const groups = levels.map((level) => {
        const idx = group.flatMap((g, i) => (g === level ? [i] : []));
        const curve = kaplanMeier(
          idx.map((i) => time[i] as number),
          idx.map((i) => event[i] as number),
          confLevel,
        );
        const m = kaplanMeierMedian(curve);
        return { group: level, n: curve.n, events: curve.events, median: m.median, lower: m.lower, upper: m.upper };
      });
      const logRank = logRankTest(time, event, group, strata);
      const covariates = Object.fromEntries(levels.slice(1).map((level) => [`${values.group}=${level}`, group.map((g) => (g === level ? 1 : 0))]));
      const cox = coxProportionalHazards({ time, event, covariates, ...(strata ? { strata } : {}) }, { confLevel });
      const zph = coxZph(cox, { terms: { [values.group]: Object.keys(covariates) } });
      let rmst: ReturnType<typeof rmstDifference> | null = null;
      if (tau !== undefined) {
        if (levels.length !== 2) throw new CliUsageError('--tau needs exactly two groups');
        const pick = (level: string) => {
          const idx = group.flatMap((g, i) => (g === level ? [i] : []));
          return { time: idx.map((i) => time[i] as number), event: idx.map((i) => event[i] as number) };
        };
        rmst = rmstDifference(pick(levels[1] as string), pick(levels[0] as string), tau, confLevel);
      }
      const result = {
        confLevel,
        reference: levels[0],
        kaplanMeier: groups,
        logRank: { chiSquare: logRank.chiSquare, df: logRank.df, p: logRank.p, stratified: Boolean(strata), groups: logRank.groups },
        cox: {
          ties: cox.ties,
          stratified: Boolean(strata),
          hazardRatios: cox.coefficients.map((c) => ({ term: c.name, hazardRatio: c.hazardRatio, lower: c.lower, upper: c.upper, p: c.p })),
          likelihoodRatio: cox.likelihoodRatio,
        },
        proportionalHazards: zph.terms,
        rmst: rmst && { tau: rmst.tau, groups: { [levels[1] as string]: rmst.armA, [levels[0] as string]: rmst.armB }, difference: rmst.difference, lower: rmst.lower, upper: rmst.upper, p: rmst.p },
      };
      if (values.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return 0;
      }
      const pct = `${Math.round(confLevel * 100)}%`;
      const lines = [
        `Kaplan-Meier (log-log ${pct} CI for the median)`,
        'group\tn\tevents\tmedian\tlower\tupper',
        ...groups.map((g) => `${g.group}\t${g.n}\t${g.events}\t${fmt(g.median)}\t${fmt(g.lower)}\t${fmt(g.upper)}`),
        '',
      ];
      lines.push(`${strata ? 'Stratified log-rank' : 'Log-rank'}: chi-square ${fmt(logRank.chiSquare)} on ${logRank.df} df, p = ${fmt(logRank.p)}`, '');
      lines.push(
        `Cox proportional hazards (Efron ties${strata ? ', stratified' : ''}), reference ${levels[0]}`,
        `term\tHR\tlower\tupper\tp`,
        ...result.cox.hazardRatios.map((h) => `${h.term}\t${fmt(h.hazardRatio)}\t${fmt(h.lower)}\t${fmt(h.upper)}\t${fmt(h.p)}`),
        '',
      );
      lines.push('Proportional hazards (cox.zph, km transform)', ...zph.terms.map((t) => `${t.term}\tchi-square ${fmt(t.chiSquare)} on ${t.df} df, p = ${fmt(t.p)}`));
      if (rmst)
        lines.push(
          '',
          `RMST to ${tau}: ${levels[1]} ${fmt(rmst.armA.rmst)}, ${levels[0]} ${fmt(rmst.armB.rmst)}; difference ${fmt(rmst.difference)} (${pct} CI ${fmt(rmst.lower)} to ${fmt(rmst.upper)}), p = ${fmt(rmst.p)}`,
        );
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    } catch (error) {
      if (error instanceof AnalysisInputError) throw new CliUsageError(`${error.code}: ${error.message}`);
      throw error;
    }
  },
};

export default command;
