/**
 * `hrng`: dispatch to a subcommand and turn every failure into a one-line message and an exit status.
 */
import { HardenedRngError } from '../crypto/errors.js';
import { CliUsageError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, type Command } from './command.js';
import { commands } from './commands/index.js';
import type { CliIo } from './io.js';

function helpText(): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ['usage: hrng <command> [options]', '', 'commands:', ...lines, '', "'hrng help <command>' shows a command's options."].join('\n') + '\n';
}

function find(name: string): Command | undefined {
  return commands.find((c) => c.name === name);
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' && rest[0] !== undefined ? find(rest[0]) : undefined;
    io.stdout.write(topic ? topic.usage + '\n' : helpText());
    return EXIT_OK;
  }
  const command = find(name);
  if (!command) {
    io.stderr.write(`hrng: unknown command '${name}' (try 'hrng help')\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.stderr.write(`hrng ${name}: ${err.message} (see 'hrng help ${name}')\n`);
      return EXIT_USAGE;
    }
    if (err instanceof HardenedRngError) {
      io.stderr.write(`hrng ${name}: ${err.code}: ${err.message}\n`);
      return EXIT_FAILED;
    }
    // Node's argument parser reports unknown or malformed options with these codes.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`hrng ${name}: ${(err as Error).message} (see 'hrng help ${name}')\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`hrng ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILED;
  }
}
