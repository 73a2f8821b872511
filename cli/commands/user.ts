import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../../db/schema';
import { createUser } from '../../server/domain/users/create-user';
import { AppError } from '../../server/errors';
import type { CliCommand } from '../command';
import { CliUsageError } from '../command';
import { withCliDatabase } from '../database';

const USAGE = `usage: segtrial user add --username NAME --role ROLE [--name "Display Name"]
  The password is read from the environment variable SEGTRIAL_NEW_PASSWORD or from standard input
  (never from the command line, where other users could see it). Roles: ${ROLES.join(', ')}.`;

async function readPassword(): Promise<string> {
  const fromEnv = process.env.SEGTRIAL_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) throw new CliUsageError('set SEGTRIAL_NEW_PASSWORD or pipe the password on standard input');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const command: CliCommand = {
  name: 'user',
  summary: 'user add --username NAME --role ROLE: create a local account',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'add') throw new CliUsageError(USAGE);
    const { values } = parseArgs({ args: rest, options: { username: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } } });
    if (!values.username || !values.role) throw new CliUsageError(USAGE);
    if (!(ROLES as readonly string[]).includes(values.role)) throw new CliUsageError(`unknown role '${values.role}'. ${USAGE}`);
    const password = await readPassword();
    try {
      const user = await withCliDatabase(({ db }) =>
        createUser({ db, username: values.username!, displayName: values.name ?? values.username!, role: values.role as Role, password, actor: { userId: null, role: null }, request: { via: 'cli' } }),
      );
      console.log(`Created ${values.role} account '${user.username}' (${user.id}).`);
      return 0;
    } catch (error) {
      if (error instanceof AppError) throw new CliUsageError(error.message, 1);
      throw error;
    }
  },
};
export default command;
