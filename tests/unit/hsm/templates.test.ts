/**
 * The pieces hsm/keys.ts and hsm/wrapping.ts share to build key templates and to judge keys read back
 * from a token, and the byte-copy rule for values that cross the API (never a caller's Buffer view).
 */
import { describe, expect, it } from 'vitest';
import { copyBytes } from '../../../hsm/bytes.js';
import { ecPointFromAttribute, unwrapOctetString } from '../../../hsm/der.js';
import {
  CKA_ALWAYS_SENSITIVE,
  CKA_CLASS,
  CKA_DECRYPT,
  CKA_DERIVE,
  CKA_ENCRYPT,
  CKA_EXTRACTABLE,
  CKA_NEVER_EXTRACTABLE,
  CKA_PRIVATE,
  CKA_SENSITIVE,
  CKA_SIGN,
  CKA_TOKEN,
  CKA_UNWRAP,
  CKA_VALUE,
  CKA_VALUE_LEN,
  CKA_VERIFY,
  CKA_WRAP,
  CKA_KEY_TYPE,
  CKK_GENERIC_SECRET,
  CKO_SECRET_KEY,
} from '../../../hsm/constants.js';
import { HsmError } from '../../../hsm/errors.js';
import { discardGenerated } from '../../../hsm/discard.js';
import { protectedKeyAttributes, sensitivityProblem, usageAttributes } from '../../../hsm/key-policy.js';
import type { Pkcs11Hsm } from '../../../hsm/pkcs11-hsm.js';
import { normalizeLowS } from '../../../hsm/signing-key.js';
import { aesKeyTemplate, sessionSecretTemplate } from '../../../hsm/wrapping.js';

const valueOf = (template: readonly { type: number; value?: unknown }[], type: number): unknown => {
  const found = template.filter((a) => a.type === type);
  expect(found.length, `attribute 0x${type.toString(16)} appears once`).toBe(1);
  return found[0]?.value;
};

describe('template building', () => {
  it('states every usage flag, granting only the ones asked for', () => {
    expect(usageAttributes([CKA_SIGN, CKA_DECRYPT, CKA_DERIVE], [CKA_SIGN])).toEqual([
      { type: CKA_SIGN, value: true },
      { type: CKA_DECRYPT, value: false },
      { type: CKA_DERIVE, value: false },
    ]);
  });

  it('makes every protected key private, sensitive and not extractable', () => {
    const t = protectedKeyAttributes();
    expect(valueOf(t, CKA_PRIVATE)).toBe(true);
    expect(valueOf(t, CKA_SENSITIVE)).toBe(true);
    expect(valueOf(t, CKA_EXTRACTABLE)).toBe(false);
  });

  it('gives an AES key exactly one purpose and no way out of the token', () => {
    const id = new Uint8Array(16);
    for (const [purpose, on, off] of [
      ['gcm', [CKA_ENCRYPT, CKA_DECRYPT], [CKA_WRAP, CKA_UNWRAP]],
      ['wrap', [CKA_WRAP, CKA_UNWRAP], [CKA_ENCRYPT, CKA_DECRYPT]],
    ] as const) {
      const t = aesKeyTemplate('k', id, purpose);
      for (const type of on) expect(valueOf(t, type)).toBe(true);
      for (const type of [...off, CKA_SIGN, CKA_VERIFY, CKA_DERIVE, CKA_EXTRACTABLE]) expect(valueOf(t, type)).toBe(false);
      expect(valueOf(t, CKA_SENSITIVE)).toBe(true);
      expect(valueOf(t, CKA_TOKEN)).toBe(true);
      // Generation adds the length, an import the value: neither is in the shared part.
      expect(t.some((a) => a.type === CKA_VALUE || a.type === CKA_VALUE_LEN)).toBe(false);
    }
  });

  it('keeps a secret to wrap in a session object that is sensitive and never stored on the token', () => {
    const t = sessionSecretTemplate({ value: Uint8Array.of(1, 2, 3) });
    expect(valueOf(t, CKA_TOKEN)).toBe(false);
    expect(valueOf(t, CKA_SENSITIVE)).toBe(true);
    expect([valueOf(t, CKA_CLASS), valueOf(t, CKA_KEY_TYPE)]).toEqual([CKO_SECRET_KEY, CKK_GENERIC_SECRET]);
    expect(valueOf(t, CKA_VALUE)).toEqual(Buffer.from([1, 2, 3]));
    // The unwrap target is read back (that is unwrap's output), so it is not sensitive — and not stored.
    const target = sessionSecretTemplate({ readBack: true });
    expect(valueOf(target, CKA_TOKEN)).toBe(false);
    expect(valueOf(target, CKA_SENSITIVE)).toBe(false);
    expect(target.some((a) => a.type === CKA_VALUE)).toBe(false);
  });
});

describe('judging a key read back from the token', () => {
  const bools = (o: Record<number, boolean>): Map<number, Uint8Array> =>
    new Map(Object.entries(o).map(([k, v]) => [Number(k), Uint8Array.of(v ? 1 : 0)]));
  const good = { [CKA_SENSITIVE]: true, [CKA_EXTRACTABLE]: false, [CKA_ALWAYS_SENSITIVE]: true, [CKA_NEVER_EXTRACTABLE]: true };

  it('accepts a key that is and always was sensitive and non-extractable', () => {
    expect(sensitivityProblem(bools(good), { sinceCreation: true })).toBeUndefined();
  });

  it('names the attribute that makes a key unsafe', () => {
    expect(sensitivityProblem(bools({ ...good, [CKA_SENSITIVE]: false }), { sinceCreation: true })).toBe('CKA_SENSITIVE is false');
    expect(sensitivityProblem(bools({ ...good, [CKA_EXTRACTABLE]: true }), { sinceCreation: false })).toBe('CKA_EXTRACTABLE is true');
    expect(sensitivityProblem(bools({ ...good, [CKA_ALWAYS_SENSITIVE]: false }), { sinceCreation: true })).toBe(
      'CKA_ALWAYS_SENSITIVE is false',
    );
    expect(sensitivityProblem(bools({ ...good, [CKA_NEVER_EXTRACTABLE]: false }), { sinceCreation: true })).toBe(
      'CKA_NEVER_EXTRACTABLE is false',
    );
    // An imported key was not always sensitive; that is only a problem for keys we generated.
    expect(
      sensitivityProblem(bools({ ...good, [CKA_ALWAYS_SENSITIVE]: false, [CKA_NEVER_EXTRACTABLE]: false }), { sinceCreation: false }),
    ).toBeUndefined();
  });

  it('fails closed when the token does not return an attribute', () => {
    expect(() => sensitivityProblem(new Map(), { sinceCreation: true })).toThrow(expect.objectContaining({ code: 'HSM_KEY_INVALID' }));
  });
});

describe('discarding a generated key that failed its checks', () => {
  const fakeHsm = (destroy: () => void): Pkcs11Hsm =>
    ({
      tokenLabel: 't',
      run: (_call: string, fn: (ctx: unknown) => unknown) => fn({ lib: { C_DestroyObject: destroy }, session: Buffer.alloc(8) }),
    }) as unknown as Pkcs11Hsm;
  const id = Uint8Array.from(Buffer.from('68726e67' + '01'.repeat(12), 'hex'));
  const failed = new HsmError('HSM_KEY_INVALID', 'the token ignored the key template (CKA_EXTRACTABLE is true)');

  it('says the key was destroyed only when it was, keeping the code and the cause', () => {
    let destroyed = 0;
    const err = discardGenerated(
      fakeHsm(() => destroyed++),
      [Buffer.alloc(8), Buffer.alloc(8)],
      id,
      failed,
    );
    expect(destroyed).toBe(2);
    expect(err).toMatchObject({ code: 'HSM_KEY_INVALID', cause: failed });
    expect(err.message).toContain('CKA_EXTRACTABLE is true');
    expect(err.message).toContain('the key was destroyed');
  });

  it('names the object id to delete by hand when destruction failed', () => {
    const err = discardGenerated(
      fakeHsm(() => {
        throw new Error('CKR_DEVICE_REMOVED');
      }),
      [Buffer.alloc(8)],
      id,
      failed,
    );
    expect(err.code).toBe('HSM_KEY_INVALID');
    expect(err.message).not.toContain('the key was destroyed');
    expect(err.message).toContain('FAILED');
    expect(err.message).toContain('68726e67' + '01'.repeat(12));
  });
});

describe('HsmError.from', () => {
  it('keeps the CKR and the call, takes the fallback call only when there is none, and chains the cause', () => {
    const low = new HsmError('HSM_OPERATION_FAILED', 'C_Decrypt failed', { ckr: 'CKR_GENERAL_ERROR', call: 'C_Decrypt' });
    expect(HsmError.from(low, 'HSM_DECRYPT_FAILED', 'tag mismatch', 'C_Other')).toMatchObject({
      code: 'HSM_DECRYPT_FAILED',
      ckr: 'CKR_GENERAL_ERROR',
      call: 'C_Decrypt',
      cause: low,
    });
    const bare = new HsmError('HSM_OPERATION_FAILED', 'no CKR');
    const up = HsmError.from(bare, 'HSM_DECRYPT_FAILED', 'x', 'C_UnwrapKey');
    expect(up.ckr).toBeUndefined();
    expect(up.call).toBe('C_UnwrapKey');
  });
});

describe('bytes handed out are plain Uint8Array copies, never Buffer views of the input', () => {
  const plain = (u: Uint8Array): void => {
    expect(Buffer.isBuffer(u)).toBe(false);
    expect(u).toBeInstanceOf(Uint8Array);
  };

  it('copyBytes, unwrapOctetString and ecPointFromAttribute', () => {
    const input = Buffer.from('0420' + '11'.repeat(32), 'hex');
    for (const out of [
      copyBytes(input),
      unwrapOctetString(input) as Uint8Array,
      ecPointFromAttribute(input, 32),
      ecPointFromAttribute(input.subarray(2), 32),
    ]) {
      plain(out);
      const before = out[0];
      input.fill(0);
      expect(out[0]).toBe(before);
      input.write('0420' + '11'.repeat(32), 'hex');
    }
  });

  it('normalizeLowS on a Buffer', () => {
    const sig = Buffer.alloc(64, 0);
    sig[31] = 1;
    sig[63] = 1;
    const out = normalizeLowS(sig);
    plain(out);
    sig.fill(0xff);
    expect(out[63]).toBe(1);
  });
});
