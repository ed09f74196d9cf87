/**
 * The interchange document carries the last signed bytes' timestamp (`sign_timestamp`), so a validator
 * moved with `hrng guard export`/`import` keeps CometBFT FilePV's timestamp-only re-sign: asked again for
 * its last vote with a later time, the new machine returns the old signature and the old time. Without
 * the field (the control: the same document with it removed) the same request is a double sign. A wrong
 * timestamp in a document never makes a signature over other bytes: the request is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cometbftVoteDecoder,
  encodeTimestamp,
  SigningGuard,
  voteSignBytes,
  type GuardInterchange,
  type Timestamp,
} from '../../../consensus/index.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { SoftwareSigner } from '../../../crypto/keys/software-signer.js';
import { streamRandom } from '../keys/helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const T1: Timestamp = { seconds: 1_700_000_000n, nanos: 5 };
const T2: Timestamp = { seconds: 1_700_000_009n, nanos: 1 };
const blockId = { hash: sha256(enc('A')), partSetHeader: { total: 1, hash: sha256(enc('pA')) } };
const bytesAt = (timestamp: Timestamp): Uint8Array => voteSignBytes('c1', { type: 1, height: 70n, round: 2, blockId, timestamp });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hrng-interchange-ts-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const open = (name: string): Promise<SigningGuard> =>
  SigningGuard.open({ dir: join(root, name), init: true, chainId: 'c1', decoders: [cometbftVoteDecoder] });

async function exported(signer: SoftwareSigner): Promise<{ doc: GuardInterchange; first: Uint8Array }> {
  const src = await open('src');
  try {
    const first = await src.sign(signer, bytesAt(T1));
    return { doc: await src.exportInterchange(), first };
  } finally {
    await src.close();
  }
}

const code = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'signed',
    (e: { code?: unknown }) => e.code,
  );

describe('guard interchange: sign_timestamp', () => {
  it('is exported, and after import the same vote with a later time gets the old signature back', async () => {
    using signer = SoftwareSigner.fromRecord(generateKey('ed25519', { rng: streamRandom(11) }));
    const { doc, first } = await exported(signer);
    expect(doc.data[0]?.last_signed).toEqual({
      height: '70',
      round: '2',
      step: '2', // prevote (the proposal is 1)
      payload_hash: hex(sha256(bytesAt(T1))),
      signature: hex(first),
      sign_timestamp: hex(encodeTimestamp(T1)),
    });
    const dst = await open('dst');
    try {
      expect(await dst.importInterchange(JSON.parse(JSON.stringify(doc)))).toEqual({ raised: [signer.keyId], unchanged: [] });
      const again = await dst.signDetailed(signer, bytesAt(T2));
      expect([hex(again.signature), again.restamped, hex(again.signedBytes)]).toEqual([hex(first), true, hex(bytesAt(T1))]);
      expect(signer.verify(bytesAt(T1), again.signature)).toBe(true);
    } finally {
      await dst.close();
    }
  });

  it.each([
    ['control: the same document without it', (r: Record<string, unknown>) => delete r.sign_timestamp],
    [
      'a wrong timestamp in it gives no signature',
      (r: Record<string, unknown>) => (r.sign_timestamp = hex(encodeTimestamp({ seconds: 1_600_000_000n, nanos: 0 }))),
    ],
  ])('%s: the later vote is a double sign on the new machine', async (_name, change) => {
    using signer = SoftwareSigner.fromRecord(generateKey('ed25519', { rng: streamRandom(12) }));
    const { doc } = await exported(signer);
    const changed = JSON.parse(JSON.stringify(doc)) as GuardInterchange;
    for (const r of changed.data) change(r.last_signed);
    const dst = await open('dst');
    try {
      await dst.importInterchange(changed);
      expect(await code(dst.sign(signer, bytesAt(T2)))).toBe('GUARD_DOUBLE_SIGN');
    } finally {
      await dst.close();
    }
  });

  it('refuses a malformed one whole: not hex, too long, or without a payload hash', async () => {
    using signer = SoftwareSigner.fromRecord(generateKey('ed25519', { rng: streamRandom(14) }));
    const { doc } = await exported(signer);
    const variants: ((r: GuardInterchange['data'][number]) => void)[] = [
      (r) => (r.last_signed.sign_timestamp = 'zz'),
      (r) => (r.last_signed.sign_timestamp = 'ab'.repeat(65)),
      (r) => {
        r.last_signed.payload_hash = null;
        r.last_signed.signature = null;
      },
    ];
    for (const change of variants) {
      const bad = JSON.parse(JSON.stringify(doc)) as GuardInterchange;
      for (const r of bad.data) change(r);
      const dst = await open(`dst-${variants.indexOf(change)}`);
      try {
        expect(await code(dst.importInterchange(bad))).toBe('GUARD_INTERCHANGE_MALFORMED');
        expect(await dst.lastSigned(signer.keyId)).toBeUndefined();
      } finally {
        await dst.close();
      }
    }
  });
});
