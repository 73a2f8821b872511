import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CliUsageError, type CliCommand } from './command';

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

async function loadCommands(): Promise<Map<string, CliCommand>> {
  const files = (await readdir(commandsDir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const commands = new Map<string, CliCommand>();
  for (const file of files.sort()) {
    const mod = (await import(pathToFileURL(path.join(commandsDir, file)).href)) as { default: CliCommand };
    commands.set(mod.default.name, mod.default);
  }
  return commands;
}

function usage(commands: Map<string, CliCommand>): string {
  const lines = [...commands.values()].map((c) => `  ${c.name.padEnd(14)} ${c.summary}`);
  return ['Usage: segtrial <command> [options]', '', 'Commands:', ...lines].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const commands = await loadCommands();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage(commands));
    return name ? 0 : 2;
  }
  const command = commands.get(name);
  if (!command) {
    console.error(`segtrial: unknown command '${name}'\n\n${usage(commands)}`);
    return 2;
  }
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
