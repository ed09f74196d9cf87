/**
 * priv_validator_state.json as the guard's starting watermark (--guard-from-state): CometBFT's own
 * FilePV state file moves a validator's history into the guard, and a guard that starts from it
 * refuses what the file says was already signed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cometbftVoteDecoder, parsePrivValidatorState, SigningGuard, voteSignBytes, type Timestamp } from '../../../consensus/index.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { SoftwareSigner } from '../../../crypto/keys/software-signer.js';
import { rejectionCode as code, thrown } from '../../helpers/thrown.js';
import { streamRandom } from '../keys/helpers.js';

const T: Timestamp = { seconds: 1_700_000_000n, nanos: 0 };
const block = (b: number) => ({ hash: new Uint8Array(32).fill(b), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(b + 1) } });
const precommit = (height: number, round: number, b: number, chainId = 'chain-1'): Uint8Array =>
  voteSignBytes(chainId, { type: 2, height: BigInt(height), round, blockId: block(b), timestamp: T });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-pvs-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('priv_validator_state.json import', () => {
  it("starts the guard at the file's watermark: lower refused, a different vote there refused, the identical one re-signed", async () => {
    using signer = SoftwareSigner.fromRecord(generateKey('ed25519', { rng: streamRandom(9) }));
    const signed = precommit(1001, 0, 7);
    const sig = await signer.sign(signed);
    const file = JSON.stringify({
      height: '1001',
      round: 0,
      step: 3,
      signature: Buffer.from(sig).toString('base64'),
      signbytes: Buffer.from(signed).toString('hex').toUpperCase(),
    });
    const state = parsePrivValidatorState(file, signer.keyId);
    expect(state).toMatchObject({ height: 1001, round: 0, step: 3 });
    const guard = await SigningGuard.open({ dir, decoders: [cometbftVoteDecoder], chainId: 'chain-1' });
    expect(await guard.importWatermarks([state])).toEqual({ raised: [signer.keyId], unchanged: [] });
    expect(await code(guard.sign(signer, precommit(1000, 5, 7)))).toBe('GUARD_REGRESSION');
    expect(await code(guard.sign(signer, precommit(1001, 0, 8)))).toBe('GUARD_DOUBLE_SIGN');
    expect(Buffer.from(await guard.sign(signer, signed)).equals(Buffer.from(sig))).toBe(true);
    expect(signer.verify(precommit(1002, 0, 8), await guard.sign(signer, precommit(1002, 0, 8)))).toBe(true);
    // A restored older state file (yesterday's backup) never lowers the history.
    const older = parsePrivValidatorState(JSON.stringify({ height: '900', round: 0, step: 3 }), signer.keyId);
    expect(await guard.importWatermarks([older])).toEqual({ raised: [], unchanged: [signer.keyId] });
    expect(await code(guard.sign(signer, precommit(950, 0, 1)))).toBe('GUARD_REGRESSION');
  });

  it('a file without signbytes makes the whole position unknown: everything there is refused', async () => {
    using signer = SoftwareSigner.fromRecord(generateKey('ed25519', { rng: streamRandom(10) }));
    const guard = await SigningGuard.open({ dir, decoders: [cometbftVoteDecoder] });
    await guard.importWatermarks([parsePrivValidatorState('{"height":"50","round":1,"step":2}', signer.keyId)]);
    const prevote = voteSignBytes('chain-1', { type: 1, height: 50n, round: 1, blockId: block(1), timestamp: T });
    expect(await code(guard.sign(signer, prevote))).toBe('GUARD_DOUBLE_SIGN');
    expect(await code(guard.sign(signer, precommit(50, 1, 1)))).toBe('ok');
  });

  it('refuses malformed files, naming the field', () => {
    const cases: [string, string][] = [
      ['not JSON', '{'],
      ['height', '{"height":5,"round":0,"step":1}'],
      ['height', '{"height":"-5","round":0,"step":1}'],
      ['round', '{"height":"5","round":-1,"step":1}'],
      ['step', '{"height":"5","round":0,"step":4}'],
      ['signbytes', '{"height":"5","round":0,"step":1,"signbytes":"xyz"}'],
      ['signature', '{"height":"5","round":0,"step":1,"signature":"!!"}'],
      [
        'not at the stated position',
        JSON.stringify({ height: '5', round: 0, step: 3, signbytes: Buffer.from(precommit(6, 0, 1)).toString('hex') }),
      ],
    ];
    for (const [what, text] of cases) {
      const e = thrown(() => parsePrivValidatorState(text, 'ab'.repeat(16)));
      expect([what, e.code, e.message.includes(what)]).toEqual([what, 'GUARD_INTERCHANGE_MALFORMED', true]);
    }
  });
});
