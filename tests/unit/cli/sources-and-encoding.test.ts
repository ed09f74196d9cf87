import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliUsageError } from '../../../cli/command.js';
import type { CliIo } from '../../../cli/io.js';
import { selectOneSource, selectSources } from '../../../cli/sources.js';
import { hrng } from '../../helpers/cli.js';

const io = (): CliIo => ({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {}, interactive: false });

describe('--source ids', () => {
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'])(
    "'%s' (an inherited property name) is an unknown source, not an opener",
    async (id) => {
      await expect(selectSources([id], io())).rejects.toThrow(CliUsageError);
      await expect(selectSources([id], io())).rejects.toThrow(/unknown source/);
      await expect(selectOneSource(id, io())).rejects.toThrow(CliUsageError);
      const r = await hrng(['bytes', '8', '--source', id]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown source/);
    },
  );
});

describe('random output is never copied into Buffer’s shared pool', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([[['status']], [['status', '--json']], [['bytes', '32']], [['bytes', '32', '--base64']], [['bytes', '16', '--json']]])(
    '%j encodes through a view of the output, not Buffer.from(uint8array)',
    async (argv) => {
      const from = vi.spyOn(Buffer, 'from');
      const r = await hrng(argv);
      expect(r.code).toBe(0);
      const copies = from.mock.calls.filter((args) => args.length === 1 && args[0] instanceof Uint8Array && !Buffer.isBuffer(args[0]));
      expect(copies).toHaveLength(0);
    },
  );
});
