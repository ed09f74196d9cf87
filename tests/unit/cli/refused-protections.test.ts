/**
 * warnRefusedProtections (cli/pkcs11-options.ts): every protection a token refused at generation is one
 * warning line on stderr, named by its PKCS#11 attribute and the token; none refused, nothing written.
 * `hrng hsm keygen` and `hrng aggregator init-wrapping-key` both use it (the tokens here refuse nothing,
 * so the integration tests see the empty case; this is where a refusal is checked).
 */
import { describe, expect, it } from 'vitest';
import { warnRefusedProtections } from '../../../cli/pkcs11-options.js';
import { makeIo } from '../../helpers/cli.js';

describe('warnRefusedProtections', () => {
  it('one line per refused protection, naming the attribute and the token; nothing on stdout', () => {
    const c = makeIo();
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
    const c = makeIo();
    warnRefusedProtections(c.io, {
      command: 'hrng hsm keygen',
      token: 'tok-1',
      protections: { modifiable: 'enforced', copyable: 'enforced', destroyable: 'not-requested', refused: [] },
    });
    expect(c.err()).toBe('');
  });
});
