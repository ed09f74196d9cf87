/**
 * warnRefusedProtections (cli/pkcs11-options.ts): every protection a token refused at generation is one
 * warning line on stderr, named by its PKCS#11 attribute and the token; none refused, nothing written.
 * `hrng hsm keygen` and `hrng aggregator init-wrapping-key` both use it (the tokens here refuse nothing,
 * so the integration tests see the empty case; this is where a refusal is checked).
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/io.js';
import { warnRefusedProtections } from '../../../cli/pkcs11-options.js';

function capture(): { io: CliIo; err: () => string; out: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c: Buffer) => (o += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (e += c.toString('utf8')));
  return { io: { stdout, stderr, stdin: new PassThrough(), env: {}, interactive: false }, err: () => e, out: () => o };
}

describe('warnRefusedProtections', () => {
  it('one line per refused protection, naming the attribute and the token; nothing on stdout', () => {
    const c = capture();
    warnRefusedProtections(c.io, {
      command: 'hrng aggregator init-wrapping-key',
      token: 'tok-1',
      protections: { modifiable: 'enforced', copyable: 'refused', destroyable: 'refused', refused: ['copyable', 'destroyable'] },
    });
    expect(c.err()).toBe(
      "hrng aggregator init-wrapping-key: warning: token 'tok-1' refused CKA_COPYABLE=false; the key was generated without it\n" +
        "hrng aggregator init-wrapping-key: warning: token 'tok-1' refused CKA_DESTROYABLE=false; the key was generated without it\n",
    );
    expect(c.out()).toBe('');
  });

  it('nothing refused: nothing written', () => {
    const c = capture();
    warnRefusedProtections(c.io, {
      command: 'hrng hsm keygen',
      token: 'tok-1',
      protections: { modifiable: 'enforced', copyable: 'enforced', destroyable: 'not-requested', refused: [] },
    });
    expect(c.err()).toBe('');
  });
});
