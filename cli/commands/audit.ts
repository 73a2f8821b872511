import { parseArgs } from 'node:util';
import { verifyAuditChain } from '../../server/domain/audit/verify-audit-chain';
import type { CliCommand } from '../command';
import { CliUsageError } from '../command';
import { withCliDatabase } from '../database';

const command: CliCommand = {
  name: 'audit',
  summary: 'audit verify [--json]: recompute the audit hash chain and name the first bad row',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'verify') throw new CliUsageError('usage: segtrial audit verify [--json]');
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } } });
    const report = await withCliDatabase(({ db }) => verifyAuditChain({ db }));
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else if (report.ok) console.log(`Audit chain verified: ${report.rowsChecked} rows, head ${report.headHash}.`);
    else console.log(`Audit chain BROKEN at row ${report.firstBadRowId} (${report.reason}); ${report.rowsChecked} rows before it verified.`);
    return report.ok ? 0 : 1;
  },
};
export default command;
