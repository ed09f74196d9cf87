/**
 * On the software TPM through tpm2-pkcs11: the signing key template's CKA_MODIFIABLE=false and
 * CKA_COPYABLE=false are accepted and read back as false on both halves (one key per session: swtpm has
 * three transient object slots, flushed between sessions). And `hrng hsm info` prints the TPM's model
 * ("SW   TPM" followed by NUL padding in CK_TOKEN_INFO) without the NULs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Pkcs11Hsm, deleteObjects, generateSigningKey } from '../../../hsm/index.js';
import { CKA_COPYABLE, CKA_LABEL, CKA_MODIFIABLE } from '../../../hsm/constants.js';
import { findObjects } from '../../../hsm/find.js';
import { hrng } from '../helpers/cli.js';
import { flushTpm, openToken, requireTokenOnCi, suiteTitle, tpm, uniqueLabel } from '../helpers/tokens.js';

requireTokenOnCi(tpm, 'TPM');

describe.skipIf(!tpm.up)(suiteTitle(tpm, 'TPM key protections'), () => {
  if (!tpm.up) return;
  const token = tpm.token;
  let hsm: Pkcs11Hsm;
  beforeEach(async () => {
    flushTpm(token);
    hsm = await openToken(token);
  });
  afterEach(async () => {
    await hsm.close();
    flushTpm(token);
  });

  it('generates an ECDSA P-256 key that is not modifiable and not copyable, read back on both halves', () => {
    const label = uniqueLabel('tpm-protected');
    const { key, protections } = generateSigningKey(hsm, { label });
    expect(key.scheme).toBe('ecdsa-p256');
    expect(protections).toEqual({ modifiable: 'enforced', copyable: 'enforced', destroyable: 'not-requested', refused: [] });
    const both = hsm.run('find', ({ lib, session }) => findObjects(lib, session, [{ type: CKA_LABEL, value: label }]));
    expect(both.length).toBe(2);
    for (const h of both) {
      const values = hsm.run('get', ({ lib, session }) =>
        lib.C_GetAttributeValue(session, h, [{ type: CKA_MODIFIABLE }, { type: CKA_COPYABLE }]).map((a) => a.value.toString('hex')),
      );
      expect(values).toEqual(['00', '00']);
    }
    expect(deleteObjects(hsm, { label })).toBe(2);
  });

  it('hrng hsm info prints the token strings without NUL padding', async () => {
    const info = await hrng(['hsm', 'info'], { HRNG_PKCS11_LIBRARY: token.module });
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('SW   TPM');
    expect(info.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/u);
    const json = await hrng(['hsm', 'info', '--json'], { HRNG_PKCS11_LIBRARY: token.module });
    expect(json.stdout).not.toContain('\\u0000');
  });
});
