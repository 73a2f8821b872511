import { parseArgs } from 'node:util';
import { compareArms, type ArmComparison } from '../../analysis/compare-arms';
import { AnalysisInputError } from '../../analysis/errors';
import { CliUsageError, type CliCommand } from '../command';

const USAGE = `Usage: segtrial compare-arms --events-a N --n-a N --events-b N --n-b N [--conf-level 0.95] [--json]

Compares a binary outcome between arm A and arm B (A is the numerator): n/N with Wilson CIs,
risk difference (Wald, Newcombe method 10), relative risk (Katz log), odds ratio (Woolf log),
Fisher exact and Pearson chi-square (with and without Yates) p-values, each labelled with its method.`;

function count(name: string, value: string | undefined): number {
  if (value === undefined) throw new CliUsageError(`--${name} is required`);
  if (!/^\d+$/.test(value)) throw new CliUsageError(`--${name} must be a non-negative integer, got '${value}'`);
  return Number(value);
}

function fmt(x: number | null, digits = 4): string {
  if (x === null) return '—';
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) !== 0 && Math.abs(x) < 1e-4 ? x.toExponential(2) : x.toFixed(digits);
}

function table(result: ArmComparison): string {
  const pct = `${Math.round(result.confLevel * 1000) / 10}% CI`;
  const lines: string[] = [];
  lines.push(`Arm  Events/N      Proportion  ${pct} (Wilson)`);
  for (const [name, arm] of Object.entries(result.arms)) {
    lines.push(`${name.padEnd(4)} ${`${arm.events}/${arm.n}`.padEnd(13)} ${fmt(arm.estimate).padStart(10)}  ${fmt(arm.lower)} to ${fmt(arm.upper)}`);
  }
  lines.push('', `${'Measure'.padEnd(16)} ${'Method'.padEnd(46)} ${'Estimate'.padStart(9)}  ${pct}`);
  for (const e of result.estimates) {
    const method = e.correction === 'none' ? e.method : `${e.method} (${e.correction})`;
    lines.push(`${e.measure.padEnd(16)} ${method.padEnd(46)} ${fmt(e.estimate).padStart(9)}  ${fmt(e.lower)} to ${fmt(e.upper)}`);
  }
  lines.push('', `${'Test'.padEnd(62)} ${'Statistic'.padStart(9)}  p-value`);
  for (const t of result.tests) lines.push(`${t.method.padEnd(62)} ${fmt(t.statistic).padStart(9)}  ${fmt(t.pValue)}`);
  for (const n of result.notComputed) lines.push(`${n.method.padEnd(62)} not computed: ${n.reason}`);
  return lines.join('\n');
}

const command: CliCommand = {
  name: 'compare-arms',
  summary: 'Binary outcome by arm: risk difference (Wald, Newcombe), RR, OR, Fisher, chi-square',
  usage: USAGE,
  async run(argv) {
    const values = parseArgs({
      args: [...argv],
      options: {
        'events-a': { type: 'string' },
        'n-a': { type: 'string' },
        'events-b': { type: 'string' },
        'n-b': { type: 'string' },
        'conf-level': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
    const arms = {
      eventsA: count('events-a', values['events-a']),
      nA: count('n-a', values['n-a']),
      eventsB: count('events-b', values['events-b']),
      nB: count('n-b', values['n-b']),
    };
    const confLevel = values['conf-level'] === undefined ? 0.95 : Number(values['conf-level']);
    let result: ArmComparison;
    try {
      result = compareArms(arms, { confLevel });
    } catch (error) {
      if (error instanceof AnalysisInputError) throw new CliUsageError(`${error.code}: ${error.message}`);
      throw error;
    }
    process.stdout.write(`${values.json ? JSON.stringify(result, null, 2) : table(result)}\n`);
    return 0;
  },
};

export default command;
