/**
 * The master wrapping key as an HMAC key on SoftHSM2 that never leaves it (quorum/token-master.ts over hsm/ HsmHmacKey,
 * `--hsm-wrap-key`): made through the CLI, checked on open (sensitive, never extractable, HMAC only), the
 * same per-agent keys every time it is opened, another token key opens nothing; then a real aggregator
 * process with `--hsm-wrap-key` and three real agents shard a key 2-of-3 and reconstruct it.
 */
import { describe, expect, it } from 'vitest';
import { Pkcs11Hsm } from '../../../hsm/index.js';
import {
  CKA_CLASS,
  CKA_EXTRACTABLE,
  CKA_KEY_TYPE,
  CKA_LABEL,
  CKA_SENSITIVE,
  CKA_SIGN,
  CKA_TOKEN,
  CKA_VALUE,
  CKK_GENERIC_SECRET,
  CKO_SECRET_KEY,
} from '../../../hsm/constants.js';
import { TokenMasterKey } from '../../../quorum/token-master.js';
import { WrappingKey } from '../../../quorum/wrap.js';
import { testRng } from '../../unit/sharing/helpers.js';
import { hrng, softhsmCliEnv } from '../helpers/cli.js';
import { openTokenForSuite, requireTokenOnCi, softhsm, suiteTitle, uniqueLabel } from '../helpers/tokens.js';
import { Cluster } from './cluster.js';

requireTokenOnCi(softhsm, 'SoftHSM2');

describe.skipIf(!softhsm.up)(suiteTitle(softhsm, 'quorum master wrapping key kept on SoftHSM2 (--hsm-wrap-key)'), () => {
  if (!softhsm.up) return;
  const token = softhsm.token;
  let hsm: Pkcs11Hsm;
  openTokenForSuite(token, (opened) => {
    hsm = opened;
  });
  const alice = { keyId: 'k1', epoch: 1, agentId: 'agent-1', publicKey: 'ab'.repeat(32) };
  const bob = { ...alice, agentId: 'agent-2', publicKey: 'cd'.repeat(32) };
  const share = Uint8Array.from({ length: 90 }, (_, i) => i * 3);

  it('init-wrapping-key --hsm-wrap-key makes the key once; the same label is refused the second time', async () => {
    const label = uniqueLabel('quorum-master');
    const r = await hrng(['aggregator', 'init-wrapping-key', '--hsm-wrap-key', label], softhsmCliEnv(token));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      hsmWrapKey: label,
      token: token.label,
      protections: { modifiable: 'enforced', copyable: 'enforced', destroyable: 'not-requested', refused: [] },
    });
    const again = await hrng(['aggregator', 'init-wrapping-key', '--hsm-wrap-key', label], softhsmCliEnv(token));
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`already has an object labelled '${label}'`);
  });

  it('derives the same per-agent keys on every open, distinct per agent; another token key opens nothing', () => {
    const label = uniqueLabel('quorum-master2');
    const made = WrappingKey.onToken(TokenMasterKey.generate(hsm, label));
    const reopened = WrappingKey.onToken(TokenMasterKey.find(hsm, label));
    const rng = testRng('token-master');
    const forAlice = made.wrap(share, alice, rng);
    expect(Array.from(reopened.unwrap(forAlice, alice))).toEqual(Array.from(share));
    expect(() => reopened.unwrap(forAlice, bob)).toThrow(expect.objectContaining({ code: 'QUORUM_UNWRAP_FAILED' }));
    const other = WrappingKey.onToken(TokenMasterKey.generate(hsm, uniqueLabel('quorum-master3')));
    expect(() => other.unwrap(forAlice, alice)).toThrow(expect.objectContaining({ code: 'QUORUM_UNWRAP_FAILED' }));
    expect(String(reopened)).toBe(`WrappingKey(token key '${label}' on '${token.label}')`);
    expect(JSON.stringify({ w: reopened })).not.toContain('"master"');
  });

  it('refuses a missing label, and a key whose value was ever known outside the token', () => {
    expect(() => TokenMasterKey.find(hsm, uniqueLabel('quorum-none'))).toThrow(
      expect.objectContaining({ code: 'HSM_KEY_NOT_FOUND', message: expect.stringContaining('has no secret key with label') }),
    );
    const label = uniqueLabel('quorum-imported');
    // A session object imported with a known value: sensitive now, but never "always sensitive".
    const handle = hsm.run('C_CreateObject', ({ lib, session }) =>
      lib.C_CreateObject(session, [
        { type: CKA_CLASS, value: CKO_SECRET_KEY },
        { type: CKA_KEY_TYPE, value: CKK_GENERIC_SECRET },
        { type: CKA_TOKEN, value: false },
        { type: CKA_SENSITIVE, value: true },
        { type: CKA_EXTRACTABLE, value: false },
        { type: CKA_SIGN, value: true },
        { type: CKA_LABEL, value: label },
        { type: CKA_VALUE, value: Buffer.alloc(32, 7) },
      ]),
    );
    try {
      expect(() => TokenMasterKey.find(hsm, label)).toThrow(
        expect.objectContaining({ code: 'HSM_KEY_INVALID', message: expect.stringContaining('CKA_ALWAYS_SENSITIVE is false') }),
      );
    } finally {
      hsm.run('C_DestroyObject', ({ lib, session }) => lib.C_DestroyObject(session, handle));
    }
  });

  it('a real aggregator process with --hsm-wrap-key shards a key 2-of-3 to real agents and reconstructs it', async () => {
    const label = uniqueLabel('quorum-agg');
    const init = await hrng(['aggregator', 'init-wrapping-key', '--hsm-wrap-key', label], softhsmCliEnv(token));
    expect(init.code, init.stderr).toBe(0);
    const c = await Cluster.start({
      regions: ['eu', 'us', 'ap'],
      wrapping: { args: ['--hsm-wrap-key', label], env: softhsmCliEnv(token) },
    });
    try {
      const ready = await c.control({ op: 'wait', agents: 3, timeoutMs: 60_000 }, 70_000);
      expect(ready, c.aggregatorStderr()).toMatchObject({ ok: true, agents: 3 });
      const created = await c.control({ op: 'create', threshold: 2, shares: 3, minAgents: 3 });
      expect(created, c.aggregatorStderr()).toMatchObject({ ok: true, threshold: 2, shares: 3, epoch: 1 });
      const r = await c.control({ op: 'reconstruct', keyId: created['keyId'] });
      expect(r, c.aggregatorStderr()).toMatchObject({ ok: true, checkValue: created['checkValue'] });
    } finally {
      c.stop();
    }
  }, 120_000);
});
