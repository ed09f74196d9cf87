/**
 * `hrng guard export|import`: move the double-sign guard's history between machines in the interchange
 * format (consensus/guard/interchange.ts, after EIP-3076). Export writes the file atomically; import
 * validates the whole document first and merges conservatively (history never goes down).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConsensusError, SigningGuard } from '../../consensus/index.js';
import { writeFileAtomic } from '../../crypto/fs/index.js';
import { CliUsageError, EXIT_OK, type Command } from '../command.js';
import type { CliIo } from '../io.js';

const usage = `usage: hrng guard export --guard DIR [--json] [--force] FILE
       hrng guard import --guard DIR [--json] FILE

  export  writes the signing history in DIR to FILE ('-' for stdout) as interchange JSON; an existing
          FILE is not replaced without --force
  import  merges FILE ('-' for stdin) into DIR: for each key the higher height/round/step wins
  --json  report as JSON: export {"path","keys"} (FILE not '-'), import {"raised":[…],"unchanged":[…]}`;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

export const guardCommand: Command = {
  name: 'guard',
  summary: 'export or import the double-sign guard history (interchange JSON)',
  usage,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { guard: { type: 'string' }, json: { type: 'boolean', default: false }, force: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: true,
    });
    const [sub, file, ...extra] = positionals;
    if (sub !== 'export' && sub !== 'import') throw new CliUsageError(`unknown subcommand '${sub ?? ''}' (expected export or import)`);
    if (values.guard === undefined) throw new CliUsageError('--guard DIR is required');
    if (file === undefined) throw new CliUsageError('FILE is required');
    if (extra.length > 0) throw new CliUsageError(`unexpected argument '${extra[0] ?? ''}'`);
    const guard = await SigningGuard.open({ dir: values.guard });
    if (sub === 'export') {
      const doc = await guard.exportInterchange();
      const text = JSON.stringify(doc, null, 2) + '\n';
      if (file === '-') io.stdout.write(text);
      else await writeFileAtomic(file, new TextEncoder().encode(text), { mode: 0o600, noClobber: !values.force });
      if (values.json && file !== '-') io.stdout.write(JSON.stringify({ path: file, keys: doc.data.length }) + '\n');
      else io.stderr.write(`exported the history of ${doc.data.length} key(s)\n`);
      return EXIT_OK;
    }
    const text = file === '-' ? await readAll(io.stdin) : await readFile(file, 'utf8');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new ConsensusError('GUARD_INTERCHANGE_MALFORMED', 'malformed guard interchange: not JSON');
    }
    const report = await guard.importInterchange(doc);
    io.stdout.write(
      values.json
        ? JSON.stringify({ raised: report.raised, unchanged: report.unchanged }) + '\n'
        : `imported: ${report.raised.length} key(s) raised, ${report.unchanged.length} unchanged\n`,
    );
    return EXIT_OK;
  },
};
