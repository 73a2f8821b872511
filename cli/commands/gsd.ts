import { parseArgs } from 'node:util';
import type { SpendingFunction } from '../../analysis/alpha-spending';
import { AnalysisInputError } from '../../analysis/errors';
import { groupSequentialDesign } from '../../analysis/group-sequential-design';
import { groupSequentialMonitor } from '../../analysis/group-sequential-monitor';
import { CliUsageError, type CliCommand } from '../command';

const USAGE = `Usage: segtrial gsd design --looks K --alpha A [--beta B] --spending obf|pocock|hsd:GAMMA
         [--info f1,...,fK] [--sided 1|2] [--hr HR] [--effect-size D] [--futility obf|pocock|hsd:GAMMA] [--json]
       segtrial gsd monitor --alpha A --spending obf|pocock|hsd:GAMMA --planned N
         --looks INFO:Z[,INFO:Z...] [--sided 1|2] [--final] [--json]

design: efficacy boundaries from an alpha-spending function (Lan-DeMets O'Brien-Fleming or Pocock
type, Hwang-Shih-DeCani with gamma), as rpact getDesignGroupSequential(typeOfDesign = "asOF" |
"asP" | "asHSD"): z critical value, nominal level and cumulative alpha per look, the inflation factor
(getDesignCharacteristics) and, with --hr, the maximum number of events (Schoenfeld, 1:1) or, with
--effect-size (standardized mean difference), the maximum number of subjects. --info defaults to
equally spaced looks. Alpha is one-sided for --sided 1, two-sided (alpha/2 per side) for --sided 2.
--futility adds non-binding futility boundaries by beta spending (one-sided designs; rpact
typeBetaSpending = "bsOF" | "bsP" | "bsHSD", bindingFutility = FALSE).
monitor: boundaries recomputed at the observed information fractions (INFO / N; --final sets the last
look to 1) and the recommendation each boundary implies; z oriented so that benefit is positive.`;

function parseSpending(text: string | undefined, flag = 'spending'): SpendingFunction {
  if (text === 'obf') return { type: 'obf' };
  if (text === 'pocock') return { type: 'pocock' };
  const m = /^hsd:(-?\d+(?:\.\d+)?)$/.exec(text ?? '');
  if (m) return { type: 'hsd', gamma: Number(m[1]) };
  throw new CliUsageError(`--${flag} must be obf, pocock or hsd:GAMMA (e.g. hsd:-4), got '${text ?? ''}'`);
}

function parseNumber(flag: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback !== undefined) return fallback;
    throw new CliUsageError(`--${flag} is required`);
  }
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new CliUsageError(`--${flag} must be a number, got '${text}'`);
  return v;
}

function parseSided(text: string | undefined): 1 | 2 {
  if (text === undefined || text === '1') return 1;
  if (text === '2') return 2;
  throw new CliUsageError(`--sided must be 1 or 2, got '${text}'`);
}

const fmt = (x: number | null, digits = 6): string => (x === null ? 'NA' : x === Infinity ? 'Inf' : x.toPrecision(digits));

const command: CliCommand = {
  name: 'gsd',
  summary: 'Group-sequential design (alpha spending, inflation factor, max events) and interim monitoring',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== 'design' && sub !== 'monitor') throw new CliUsageError(`unknown subcommand '${sub}'`);
    const values = parseArgs({
      args: rest,
      options: {
        looks: { type: 'string' },
        alpha: { type: 'string' },
        beta: { type: 'string' },
        spending: { type: 'string' },
        info: { type: 'string' },
        sided: { type: 'string' },
        hr: { type: 'string' },
        'effect-size': { type: 'string' },
        futility: { type: 'string' },
        planned: { type: 'string' },
        final: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
    const alpha = parseNumber('alpha', values.alpha);
    const spending = parseSpending(values.spending);
    const sided = parseSided(values.sided);
    try {
      if (sub === 'design') {
        const k = parseNumber('looks', values.looks);
        if (!Number.isInteger(k) || k < 1) throw new CliUsageError(`--looks must be a positive integer, got '${values.looks}'`);
        const info = values.info === undefined ? Array.from({ length: k }, (_, i) => (i + 1) / k) : values.info.split(',').map((f) => parseNumber('info', f));
        if (info.length !== k) throw new CliUsageError(`--info has ${info.length} fractions but --looks is ${k}`);
        const design = groupSequentialDesign({
          informationFractions: info,
          alpha,
          beta: parseNumber('beta', values.beta, 0.2),
          sided,
          spending,
          ...(values.hr !== undefined ? { hazardRatio: parseNumber('hr', values.hr) } : {}),
          ...(values['effect-size'] !== undefined ? { effectSize: parseNumber('effect-size', values['effect-size']) } : {}),
          ...(values.futility !== undefined ? { futility: { spending: parseSpending(values.futility, 'futility') } } : {}),
        });
        if (values.json) {
          process.stdout.write(`${JSON.stringify(design, (_k, v: unknown) => (v === Infinity ? 'Inf' : v), 2)}\n`);
          return 0;
        }
        const lines = [
          design.method,
          'look\tinfo\tz\tnominal_alpha\tcumulative_alpha\tcumulative_power' +
            (values.futility !== undefined ? '\tfutility_z' : '') +
            (design.maxEvents !== null ? '\tevents' : '') +
            (design.maxSubjects !== null ? '\tsubjects' : ''),
        ];
        for (const l of design.looks) {
          lines.push(
            [
              l.look,
              fmt(l.informationFraction, 4),
              fmt(l.criticalValue),
              fmt(l.nominalAlpha),
              fmt(l.cumulativeAlpha),
              fmt(l.cumulativePower, 4),
              ...(values.futility !== undefined ? [fmt(l.futilityValue)] : []),
              ...(l.events !== null ? [fmt(l.events, 5)] : []),
              ...(l.subjects !== null ? [fmt(l.subjects, 5)] : []),
            ].join('\t'),
          );
        }
        lines.push(`inflation factor ${fmt(design.inflationFactor)}`);
        if (design.maxEvents !== null) lines.push(`events: fixed design ${fmt(design.fixedEvents, 5)}, maximum ${fmt(design.maxEvents, 5)} (round up: ${Math.ceil(design.maxEvents)})`);
        if (design.maxSubjects !== null) lines.push(`subjects: fixed design ${fmt(design.fixedSubjects, 5)}, maximum ${fmt(design.maxSubjects, 5)} (round up: ${Math.ceil(design.maxSubjects)})`);
        process.stdout.write(`${lines.join('\n')}\n`);
        return 0;
      }
      const planned = parseNumber('planned', values.planned);
      if (!values.looks) throw new CliUsageError(`--looks INFO:Z,... is required`);
      const looks = values.looks.split(',').map((pair) => {
        const [i, z] = pair.split(':');
        return { information: parseNumber('looks', i), z: parseNumber('looks', z) };
      });
      const result = groupSequentialMonitor({ alpha, sided, spending, plannedInformation: planned }, looks, { final: values.final });
      if (values.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return 0;
      }
      const lines = [
        'look\tinformation\tfraction\tboundary\tz\trecommendation',
        ...result.looks.map((l) => `${l.look}\t${l.information}\t${fmt(l.informationFraction, 4)}\t${fmt(l.criticalValue)}\t${fmt(l.z, 4)}\t${l.recommendation}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    } catch (error) {
      if (error instanceof AnalysisInputError) throw new CliUsageError(`${error.code}: ${error.message}`);
      throw error;
    }
  },
};

export default command;
