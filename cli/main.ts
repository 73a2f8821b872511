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
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliUsageError) {
      console.error(`segtrial ${name}: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}
