import { eq } from 'drizzle-orm';
import { parseArgs } from 'node:util';
import { trials } from '../../db/schema';
import { replayTrialAllocations } from '../../server/domain/enrollment/replay-trial-allocations';
import type { CliCommand } from '../command';
import { CliUsageError } from '../command';
import { withCliDatabase } from '../database';

const USAGE = 'usage: segtrial randomization replay --trial SLUG [--mode live|test] [--json]';

const command: CliCommand = {
  name: 'randomization',
  summary: 'randomization replay --trial SLUG: re-derive every allocation from the seed and check the commitment',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'replay') throw new CliUsageError(USAGE);
    const { values } = parseArgs({ args: rest, options: { trial: { type: 'string' }, mode: { type: 'string', default: 'live' }, json: { type: 'boolean', default: false } } });
    if (!values.trial || (values.mode !== 'live' && values.mode !== 'test')) throw new CliUsageError(USAGE);
    const report = await withCliDatabase(async ({ db }) => {
      const [trial] = await db.select({ id: trials.id }).from(trials).where(eq(trials.slug, values.trial!));
      if (!trial) throw new CliUsageError(`no trial with slug '${values.trial}'`, 1);
      return replayTrialAllocations({ db, trialId: trial.id, mode: values.mode as 'live' | 'test' });
    });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`${report.trial.name} (${report.mode}), algorithm ${report.algorithmVersion}`);
      for (const p of report.periods)
        console.log(`period ${p.period}: commitment ${p.publishedCommitment} ${p.commitmentMatches ? 'matches its seed and parameters' : 'DOES NOT MATCH'} (${p.allocationsReplayed} allocations)`);
      console.log(`${report.allocationsReplayed} allocations replayed, ${report.mismatches.length} mismatches`);
      for (const m of report.mismatches) console.log(`  ${m.id}: recorded ${m.recordedArm}, replay gives ${m.replayedArm} (stratum ${m.stratumKey})`);
    }
    return report.commitmentMatches && report.mismatches.length === 0 ? 0 : 1;
  },
};
export default command;
