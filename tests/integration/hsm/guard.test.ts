/**
 * The double-sign guard in front of a SoftHSM2-held Ed25519 key, unchanged: the HSM key is just a Signer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ed from '@noble/ed25519';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHrngSignBytes, SigningGuard } from '../../../consensus/index.js';
import { Pkcs11Hsm, generateSigningKey } from '../../../hsm/index.js';
import { recordingLogger, requireTokenOnCi, softhsm, suiteTitle, uniqueLabel } from '../helpers/tokens.js';

requireTokenOnCi(softhsm, 'SoftHSM2');

describe.skipIf(!softhsm.up)(suiteTitle(softhsm, 'double-sign guard over a SoftHSM2 key'), () => {
  if (!softhsm.up) return;
  const token = softhsm.token;
  let hsm: Pkcs11Hsm;
  let dir: string;
  beforeAll(async () => {
    hsm = await Pkcs11Hsm.open({ library: token.module, tokenLabel: token.label, pin: { file: token.pinFile }, logger: recordingLogger() });
    dir = mkdtempSync(join(tmpdir(), 'hrng-guard-hsm-'));
  });
  afterAll(async () => {
    await hsm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs once per height/round/step, repeats the identical vote, refuses a conflicting or older one', async () => {
    const { key } = generateSigningKey(hsm, { label: uniqueLabel('guarded') });
    const guard = await SigningGuard.open({ dir, init: true });
    const at = (height: number, round: number, step: number, body: string): Uint8Array =>
      encodeHrngSignBytes({ chainId: 'hsm-test', hrs: { height, round, step }, body: new TextEncoder().encode(body) });
    const vote = at(10, 0, 1, 'prevote block=aa');
    const sig = await guard.sign(key, vote);
    expect(await ed.verifyAsync(sig, vote, key.publicKey)).toBe(true);
    expect(Buffer.from(await guard.sign(key, vote)).equals(Buffer.from(sig))).toBe(true);
    await expect(guard.sign(key, at(10, 0, 1, 'prevote block=bb'))).rejects.toMatchObject({ code: 'GUARD_DOUBLE_SIGN', keyId: key.keyId });
    await expect(guard.sign(key, at(9, 5, 2, 'prevote block=bb'))).rejects.toMatchObject({
      code: 'GUARD_REGRESSION',
      last: { height: 10, round: 0, step: 1 },
    });
    const next = at(10, 0, 2, 'precommit block=aa');
    expect(await ed.verifyAsync(await guard.sign(key, next), next, key.publicKey)).toBe(true);
  });
});
