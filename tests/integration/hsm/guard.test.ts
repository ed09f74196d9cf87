/**
 * The double-sign guard in front of a SoftHSM2-held Ed25519 key, unchanged: the HSM key is just a Signer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ed from '@noble/ed25519';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardDoubleSignError, GuardRegressionError } from '../../../consensus/guard/guard-errors.js';
import { SigningGuard } from '../../../consensus/guard/signing-guard.js';
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
    const guard = await SigningGuard.open({ dir });
    const vote = new TextEncoder().encode('prevote h=10 r=0 block=aa');
    const sig = await guard.sign(key, { height: 10, round: 0, step: 1 }, vote);
    expect(await ed.verifyAsync(sig, vote, key.publicKey)).toBe(true);
    expect(Buffer.from(await guard.sign(key, { height: 10, round: 0, step: 1 }, vote)).equals(Buffer.from(sig))).toBe(true);
    const conflicting = new TextEncoder().encode('prevote h=10 r=0 block=bb');
    await expect(guard.sign(key, { height: 10, round: 0, step: 1 }, conflicting)).rejects.toBeInstanceOf(GuardDoubleSignError);
    await expect(guard.sign(key, { height: 9, round: 5, step: 2 }, conflicting)).rejects.toBeInstanceOf(GuardRegressionError);
    const next = new TextEncoder().encode('precommit h=10 r=0 block=aa');
    expect(await ed.verifyAsync(await guard.sign(key, { height: 10, round: 0, step: 2 }, next), next, key.publicKey)).toBe(true);
  });
});
