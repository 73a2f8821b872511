import type { CliCommand } from '../command';
import { CliUsageError } from '../command';
import { withCliDatabase } from '../database';

const command: CliCommand = {
  name: 'db',
  summary: 'db migrate: create or upgrade the database schema',
  async run(argv) {
    if (argv[0] !== 'migrate') throw new CliUsageError('usage: segtrial db migrate');
    await withCliDatabase(async (handle) => {
      console.log(`Database schema is up to date (${handle.driver}).`);
    });
    return 0;
  },
};
export default command;
