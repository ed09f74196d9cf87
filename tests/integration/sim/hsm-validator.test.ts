/**
 * One simulated validator signs with an Ed25519 key held in a real SoftHSM2 token (hsm/ Pkcs11Hsm),
 * behind the same guard as the software-keyed ones: the chain makes progress, every check passes, and
 * the token's signatures are valid Ed25519 signatures over hrng-sign/v1 bytes.
 */
import * as ed from '@noble/ed25519';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHrngSignBytes, runScenario, scenarioNamed } from '../../../consensus/index.js';
import type { Signer } from '../../../crypto/index.js';
import { Pkcs11Hsm, generateSigningKey } from '../../../hsm/index.js';
import { recordingLogger, requireTokenOnCi, softhsm, suiteTitle, uniqueLabel } from '../helpers/tokens.js';

requireTokenOnCi(softhsm, 'SoftHSM2');

describe.skipIf(!softhsm.up)(suiteTitle(softhsm, 'simulation with an HSM-backed validator'), () => {
  if (!softhsm.up) return;
  const token = softhsm.token;
  let hsm: Pkcs11Hsm;
  beforeAll(async () => {
    hsm = await Pkcs11Hsm.open({ library: token.module, tokenLabel: token.label, pin: { file: token.pinFile }, logger: recordingLogger() });
  });
  afterAll(async () => {
    await hsm.close();
  });

  it('validator 0 signs through SoftHSM2 behind the guard; safety, liveness and every check hold', async () => {
    const { key } = generateSigningKey(hsm, { label: uniqueLabel('sim-validator') });
    const base = scenarioNamed('baseline-ed25519');
    if (base === undefined) throw new Error('baseline-ed25519');
    const signed: { bytes: Uint8Array; sig: Uint8Array }[] = [];
    const recording: Signer = {
      scheme: key.scheme,
      publicKey: key.publicKey,
      keyId: key.keyId,
      verify: (m, s) => key.verify(m, s),
      async sign(m) {
        const sig = await key.sign(m);
        signed.push({ bytes: m, sig });
        return sig;
      },
    };
    const r = await runScenario({ ...base, name: 'hsm-validator', durationMs: 500 }, { seed: 1, signers: new Map([[0, recording]]) });
    expect(r.violations).toEqual([]);
    expect(r.height).toBeGreaterThan(3);
    expect(signed.length).toBeGreaterThan(5);
    for (const s of signed.slice(0, 5)) {
      expect(decodeHrngSignBytes(s.bytes)?.chainId).toBe('hrng-sim');
      expect(await ed.verifyAsync(s.sig, s.bytes, key.publicKey)).toBe(true);
    }
  });
});
