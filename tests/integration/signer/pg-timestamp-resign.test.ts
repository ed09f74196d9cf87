/**
 * The PostgreSQL guard store carries the signed bytes' timestamp (consensus/guard/pg-guard-store.ts), for
 * FilePV's timestamp-only re-sign, against a real server (scripts/postgres/with-postgres.sh): a table
 * created before the column existed is migrated on open and its rows keep today's rule (identical bytes
 * only); new rows record the timestamp, so a vote asked again with a later time gets the stored
 * signature over the old bytes, and a vote for another block is still refused.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cometbftVoteDecoder,
  encodeTimestamp,
  PgGuardStore,
  SigningGuard,
  voteSignBytes,
  type Timestamp,
} from '../../../consensus/index.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { SoftwareSigner } from '../../../crypto/keys/software-signer.js';
import { rejectionCode } from '../../helpers/thrown.js';
import { streamRandom } from '../../unit/keys/helpers.js';

const url = process.env.HRNG_TEST_PG_URL;
if (process.env.CI === 'true' && url === undefined)
  throw new Error(`PostgreSQL is required on CI: ${process.env.HRNG_TEST_PG_SKIP ?? 'run under scripts/postgres/with-postgres.sh'}`);
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const T1: Timestamp = { seconds: 1_700_000_000n, nanos: 1 };
const T2: Timestamp = { seconds: 1_700_000_009n, nanos: 2 };
const block = (tag: string) => ({ hash: sha256(enc(tag)), partSetHeader: { total: 1, hash: sha256(enc(`p${tag}`)) } });
const prevote = (height: number, tag: string, timestamp: Timestamp): Uint8Array =>
  voteSignBytes('pg-chain', { type: 1, height: BigInt(height), round: 0, blockId: block(tag), timestamp });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe.skipIf(url === undefined)('PostgreSQL guard store: timestamps', () => {
  const pgUrl = url ?? '';
  const oldKey = SoftwareSigner.fromRecord(generateKey('ed25519', { rng: streamRandom(11) }));
  const newKey = SoftwareSigner.fromRecord(generateKey('ed25519', { rng: streamRandom(12) }));
  let oldSig: Uint8Array;

  beforeAll(async () => {
    // The table as the store created it before timestamps were kept, with one row signed then.
    const c = new pg.Client(pgUrl);
    await c.connect();
    try {
      await c.query('DROP TABLE IF EXISTS hrng_guard_state');
      await c.query(`CREATE TABLE hrng_guard_state (
        key_id text PRIMARY KEY, height bigint NOT NULL CHECK (height >= 0), round bigint NOT NULL CHECK (round >= 0),
        step integer NOT NULL CHECK (step >= 0), payload_hash bytea, signature bytea, updated_at timestamptz NOT NULL DEFAULT now())`);
      const bytes = prevote(7, 'A', T1);
      oldSig = Uint8Array.from(await oldKey.sign(bytes));
      await c.query('INSERT INTO hrng_guard_state (key_id, height, round, step, payload_hash, signature) VALUES ($1, 7, 0, 2, $2, $3)', [
        oldKey.keyId,
        Buffer.from(sha256(bytes)),
        Buffer.from(oldSig),
      ]);
    } finally {
      await c.end();
    }
  });
  afterAll(async () => {
    const c = new pg.Client(pgUrl);
    await c.connect();
    await c.query('DELETE FROM hrng_guard_state WHERE key_id = ANY($1)', [[oldKey.keyId, newKey.keyId]]).catch(() => undefined);
    await c.end();
  });

  it('migrates an older table; its rows re-sign identical bytes only; new rows carry the timestamp', async () => {
    const store = await PgGuardStore.open({ connectionString: pgUrl });
    const guard = await SigningGuard.open({ store, chainId: 'pg-chain', decoders: [cometbftVoteDecoder], init: true });
    try {
      const before = await guard.lastSigned(oldKey.keyId);
      expect([before?.height, before?.timestamp]).toEqual([7, undefined]);
      expect(hex(await guard.sign(oldKey, prevote(7, 'A', T1)))).toBe(hex(oldSig));
      expect(await rejectionCode(guard.sign(oldKey, prevote(7, 'A', T2)))).toBe('GUARD_DOUBLE_SIGN');

      const first = await guard.sign(newKey, prevote(9, 'A', T1));
      expect(hex((await guard.lastSigned(newKey.keyId))?.timestamp ?? new Uint8Array(0))).toBe(hex(encodeTimestamp(T1)));
      const again = await guard.signDetailed(newKey, prevote(9, 'A', T2));
      expect([again.restamped, hex(again.signature), hex(again.signedBytes)]).toEqual([true, hex(first), hex(prevote(9, 'A', T1))]);
      expect(newKey.verify(prevote(9, 'A', T1), again.signature)).toBe(true);
      expect(await rejectionCode(guard.sign(newKey, prevote(9, 'B', T2)))).toBe('GUARD_DOUBLE_SIGN');
    } finally {
      await guard.close();
    }
  });
});
