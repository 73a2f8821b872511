import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CliUsageError, type CliCommand } from './command';

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

/** Command files are named after their command (`audit.ts` is `segtrial audit`). */
async function loadCommand(name: string): Promise<CliCommand> {
  const mod = (await import(pathToFileURL(path.join(commandsDir, `${name}.ts`)).href)) as { default: CliCommand };
  return mod.default;
}

async function commandNames(): Promise<string[]> {
  return (await readdir(commandsDir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function loadCommands(): Promise<Map<string, CliCommand>> {
  const commands = new Map<string, CliCommand>();
  for (const name of await commandNames()) commands.set(name, await loadCommand(name));
  return commands;
}

function usage(commands: Map<string, CliCommand>): string {
  const lines = [...commands.values()].map((c) => `  ${c.name.padEnd(14)} ${c.summary}`);
  return ['Usage: segtrial <command> [options]', '', 'Commands:', ...lines].join('\n');
}

/** The command's usage text, for --help and after a usage error. */
export function commandUsage(command: CliCommand): string {
  return command.usage ?? `usage: segtrial ${command.summary}`;
}

/** A Node error code of a mistake on the command line rather than a fault of the program. */
function usageMistake(error: unknown): string | null {
  const { code, message, path: file } = (error ?? {}) as { code?: string; message?: string; path?: string };
  if (typeof code !== 'string') return null;
  // node:util parseArgs: unknown option, missing or extra value, stray positional.
  if (code.startsWith('ERR_PARSE_ARGS_')) return message ?? code;
  if (code === 'EISDIR') return `${file ?? 'a path given'} is a folder where a file was expected.`;
  if (code === 'ENOTDIR') return `${file ?? 'a path given'} is a file where a folder was expected.`;
  if (code === 'ENOENT') return `${file ?? 'a path given'} does not exist.`;
  return null;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage(await loadCommands()));
    return name ? 0 : 2;
  }
  // Only the named command's module is loaded: start-up stays fast and one command's imports
  // (the model runtime, say) never slow down or break another.
  if (!(await commandNames()).includes(name)) {
    console.error(`segtrial: unknown command '${name}'\n\n${usage(await loadCommands())}`);
    return 2;
  }
  const command = await loadCommand(name);
  // `--help` anywhere after the command (also after a subcommand) answers its usage and runs nothing.
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandUsage(command));
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliUsageError) {
      console.error(`segtrial ${name}: ${error.message}`);
      // A refusal of the input (exit 1) is not a misuse: no usage after it.
      if (error.exitCode === 2 && !error.message.toLowerCase().startsWith('usage')) console.error(`\n${commandUsage(command)}`);
      return error.exitCode;
    }
    const mistake = usageMistake(error);
    if (mistake) {
      console.error(`segtrial ${name}: ${mistake}\n\n${commandUsage(command)}`);
      return 2;
    }
    throw error;
  }
}
