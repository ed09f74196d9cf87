/**
 * The double-sign guard (tmkms / EIP-3076 rules): allowed, refused, re-signed, persisted, locked, moved.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeHrngSignBytes, FileGuardStore, SigningGuard, type GuardPoint, type Hrs } from '../../../consensus/index.js';
import { currentOwner, encodeOwner } from '../../../consensus/guard/lock-owner.js';
import { silentLogger } from '../../../crypto/index.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import type { Signer } from '../../../crypto/keys/signer.js';
import { BEFORE_FIRST_INTENT, FIRST_INTENT_POINTS, GUARD_POINTS } from '../../helpers/guard-points.js';
import { guardStateJson, plantGuardStateJson } from '../../helpers/guard-state-file.js';
import { SoftwareSigner } from '../../../crypto/keys/software-signer.js';
import { rejectionCode as code } from '../../helpers/thrown.js';
import { nodeRandom, streamRandom, toHex } from '../keys/helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const hrs = (height: number, round = 0, step = 1): Hrs => ({ height, round, step });
const CHAIN = 'test-chain';
/** hrng-sign/v1 bytes at `h` (step + 1: the format's steps start at 1; the order is kept). */
const sb = (h: Hrs, body: Uint8Array): Uint8Array => encodeHrngSignBytes({ chainId: CHAIN, hrs: { ...h, step: h.step + 1 }, body });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-guard-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function edSigner(label = 1): SoftwareSigner {
  return SoftwareSigner.fromRecord(generateKey('ed25519', { rng: streamRandom(label) }));
}

/** A signer that counts calls and can be told to fail (an HSM that drops the session). */
function countingSigner(inner: Signer): Signer & { calls: number; fail: boolean } {
  const s = {
    scheme: inner.scheme,
    publicKey: inner.publicKey,
    keyId: inner.keyId,
    calls: 0,
    fail: false,
    verify: (m: Uint8Array, sig: Uint8Array) => inner.verify(m, sig),
    async sign(m: Uint8Array): Promise<Uint8Array> {
      s.calls++;
      if (s.fail) throw new Error('token removed');
      return inner.sign(m);
    },
  };
  return s;
}

describe('SigningGuard rules', () => {
  it('signs rising height/round/step and refuses conflicts and regressions with typed errors', async () => {
    const guard = await SigningGuard.open({ dir, init: true });
    using signer = edSigner();
    const s1 = await guard.sign(signer, sb(hrs(5, 0, 1), enc('A')));
    expect(signer.verify(sb(hrs(5, 0, 1), enc('A')), s1)).toBe(true);
    expect(await code(guard.sign(signer, sb(hrs(5, 0, 1), enc('B'))))).toBe('GUARD_DOUBLE_SIGN');
    expect(await code(guard.sign(signer, sb(hrs(4, 9, 9), enc('A'))))).toBe('GUARD_REGRESSION');
    expect(await code(guard.sign(signer, sb(hrs(5, 0, 0), enc('A'))))).toBe('GUARD_REGRESSION');
    await guard.sign(signer, sb(hrs(5, 0, 2), enc('C')));
    await guard.sign(signer, sb(hrs(5, 1, 0), enc('D')));
    await guard.sign(signer, sb(hrs(6, 0, 0), enc('E')));
    expect(await code(guard.sign(signer, sb(hrs(5, 1, 0), enc('D'))))).toBe('GUARD_REGRESSION');
    const last = await guard.lastSigned(signer.keyId);
    expect(last).toMatchObject({ height: 6, round: 0, step: 1 });
  });

  it('re-signing the identical payload returns the stored signature without calling the signer (hedged ML-DSA)', async () => {
    const guard = await SigningGuard.open({ dir, init: true });
    const inner = SoftwareSigner.fromRecord(generateKey('ml-dsa-65', { rng: nodeRandom }), { rng: nodeRandom });
    const signer = countingSigner(inner);
    const a = await guard.sign(signer, sb(hrs(1), enc('vote')));
    const b = await guard.sign(signer, sb(hrs(1), enc('vote')));
    expect(toHex(b)).toBe(toHex(a));
    expect(signer.calls).toBe(1);
    // A fresh signature over the same payload would differ (hedged): the guard really returned the stored one.
    expect(toHex(await inner.sign(sb(hrs(1), enc('vote'))))).not.toBe(toHex(a));
  });

  it('keeps history per key, and across a reopen (a restart)', async () => {
    const g1 = await SigningGuard.open({ dir, init: true });
    using a = edSigner(1);
    using b = edSigner(2);
    await g1.sign(a, sb(hrs(10), enc('a10')));
    await g1.sign(b, sb(hrs(3), enc('b3')));
    const g2 = await SigningGuard.open({ dir, init: true });
    expect(await code(g2.sign(a, sb(hrs(10), enc('other'))))).toBe('GUARD_DOUBLE_SIGN');
    expect(await code(g2.sign(b, sb(hrs(2), enc('b2'))))).toBe('GUARD_REGRESSION');
    expect(await code(g2.sign(b, sb(hrs(4), enc('b4'))))).toBe('ok');
    const state = guardStateJson(dir, a.keyId);
    expect(state.lastSigned).toMatchObject({ height: 10, round: 0, step: 2 });
    expect(state.lastSigned.payloadHash).toMatch(/^[0-9a-f]{64}$/);
    expect(state.lastSigned.signature).toMatch(/^[0-9a-f]{128}$/);
  });

  it('the intent is durable before the signer runs: a signer failure still blocks any other payload there', async () => {
    const guard = await SigningGuard.open({ dir, init: true });
    const signer = countingSigner(edSigner());
    signer.fail = true;
    expect(await code(guard.sign(signer, sb(hrs(7), enc('A'))))).toBe('undefined');
    const intent = await guard.lastSigned(signer.keyId);
    expect(intent).toMatchObject({ height: 7, signature: null });
    signer.fail = false;
    expect(await code(guard.sign(signer, sb(hrs(7), enc('B'))))).toBe('GUARD_DOUBLE_SIGN');
    const sig = await guard.sign(signer, sb(hrs(7), enc('A')));
    expect(signer.verify(sb(hrs(7), enc('A')), sig)).toBe(true);
    expect((await guard.lastSigned(signer.keyId))?.signature).not.toBeNull();
  });

  it('a failure injected at every durable step never lets a conflicting payload through afterwards', async () => {
    // Each point on a key's first intent (a new file) and on a later signing (slot writes).
    const cases: readonly (readonly [GuardPoint, boolean])[] = [
      ...FIRST_INTENT_POINTS.map((p) => [p, true] as const),
      ...GUARD_POINTS.map((p) => [p, false] as const),
    ];
    for (const [point, first] of cases) {
      const d = mkdtempSync(join(tmpdir(), 'hrng-guard-fault-'));
      using signer = edSigner();
      const h = first ? 1 : 2;
      if (!first) await (await SigningGuard.open({ dir: d, init: true })).sign(signer, sb(hrs(1), enc('A')));
      const faulty = await SigningGuard.open({
        dir: d,
        init: true,
        hooks: {
          at: (p) => {
            if (p === point) throw new Error(`fault at ${p}`);
          },
        },
      });
      expect(await code(faulty.sign(signer, sb(hrs(h), enc('A'))))).not.toBe('ok');
      // The store that saw its write fail refuses the key from then on (its page cache is not evidence).
      if (point !== 'signed') {
        expect([point, await code(faulty.sign(signer, sb(hrs(h + 1), enc('A'))))]).toEqual([point, 'GUARD_STORE_FAILED']);
      }
      const guard = await SigningGuard.open({ dir: d, init: true });
      const conflicting = await code(guard.sign(signer, sb(hrs(h), enc('B'))));
      // Before the new file has its name nothing was signed, so B may go; from then on B must be refused.
      // A slot write is visible once written (a process fault keeps the page cache; a power loss is the
      // torn-slot case, tests/unit/guard/slot-file.test.ts).
      const intentVisible = !BEFORE_FIRST_INTENT.has(point);
      expect([point, conflicting]).toEqual([point, intentVisible ? 'GUARD_DOUBLE_SIGN' : 'ok']);
      expect(readdirSync(d).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('concurrent requests for the same position: exactly one payload wins', async () => {
    const guard = await SigningGuard.open({ dir, init: true });
    using signer = edSigner();
    const results = await Promise.all(['A', 'B', 'C', 'A'].map((p) => code(guard.sign(signer, sb(hrs(9), enc(p))))));
    const ok = results.filter((r) => r === 'ok').length;
    expect(ok === 1 || (ok === 2 && results[0] === 'ok' && results[3] === 'ok')).toBe(true);
    expect(results.filter((r) => r !== 'ok').every((r) => r === 'GUARD_DOUBLE_SIGN')).toBe(true);
  });

  it('fails closed on corrupt state and on a lock held by a live process; takes over a dead one', async () => {
    const guard = await SigningGuard.open({ dir, init: true });
    using signer = edSigner();
    writeFileSync(join(dir, `${signer.keyId}.json`), '{"version":1,"keyId":"x"');
    expect(await code(guard.sign(signer, sb(hrs(1), enc('A'))))).toBe('GUARD_STATE_CORRUPT');
    rmSync(join(dir, `${signer.keyId}.json`));
    // A state file whose slots are both zero (as a file system might leave it): corrupt, never "no history".
    writeFileSync(join(dir, `${signer.keyId}.state`), new Uint8Array(8192));
    expect(await code(guard.sign(signer, sb(hrs(1), enc('A'))))).toBe('GUARD_STATE_CORRUPT');
    rmSync(join(dir, `${signer.keyId}.state`));

    writeFileSync(join(dir, `${signer.keyId}.lock`), encodeOwner({ ...currentOwner(), pid: process.ppid, startTime: '' }));
    expect(await code(guard.sign(signer, sb(hrs(1), enc('A'))))).toBe('GUARD_LOCKED');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, `${signer.keyId}.lock`), encodeOwner({ ...currentOwner(), pid: Number(dead.stdout), startTime: '' }));
    expect(await code(guard.sign(signer, sb(hrs(1), enc('A'))))).toBe('ok');
    expect(existsSync(join(dir, `${signer.keyId}.lock`))).toBe(false);
    expect(readdirSync(dir)).toEqual([`${signer.keyId}.state`]);
  });

  it('signs the bytes as they were when sign() was called: a caller reusing its buffer cannot split hash and signature', async () => {
    const guard = await SigningGuard.open({ dir, init: true });
    using signer = edSigner();
    const a = sb(hrs(3), enc('A'));
    const b = sb(hrs(3), enc('B'));
    const buf = a.slice();
    const pending = guard.sign(signer, buf);
    buf.set(b); // the caller reuses its buffer while the guard awaits its lock and the disk
    const sigA = await pending;
    expect(signer.verify(a, sigA)).toBe(true);
    expect(signer.verify(b, sigA)).toBe(false);
    // What was recorded (A) and what was signed (A) agree: A again is the same signature, B is refused.
    expect(toHex(await guard.sign(signer, a))).toBe(toHex(sigA));
    expect(await code(guard.sign(signer, b))).toBe('GUARD_DOUBLE_SIGN');
  });

  it('rejects bad arguments, undecodable bytes and other chains before anything is recorded', async () => {
    const guard = await SigningGuard.open({ dir, init: true, chainId: CHAIN });
    using signer = edSigner();
    const counting = countingSigner(signer);
    expect(await code(guard.sign(counting, 'A' as unknown as Uint8Array))).toBe('CONSENSUS_INVALID_ARGUMENT');
    expect(await code(guard.sign(counting, new Uint8Array(0)))).toBe('CONSENSUS_INVALID_ARGUMENT');
    const evil = { ...countingSigner(signer), keyId: '../escape' };
    expect(await code(guard.sign(evil, sb(hrs(1), enc('A'))))).toBe('CONSENSUS_INVALID_ARGUMENT');
    // Bytes that state no position: the caller cannot tell the guard where they belong.
    expect(await code(guard.sign(counting, enc('prevote h=1')))).toBe('GUARD_SIGN_BYTES_UNDECODABLE');
    const truncated = sb(hrs(1), enc('A')).subarray(0, 20);
    expect(await code(guard.sign(counting, truncated))).toBe('GUARD_SIGN_BYTES_UNDECODABLE');
    const other = encodeHrngSignBytes({ chainId: 'other-chain', hrs: hrs(1), body: enc('A') });
    expect(await code(guard.sign(counting, other))).toBe('GUARD_CHAIN_MISMATCH');
    expect(counting.calls).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    // The position stays open for a real request.
    expect(signer.verify(sb(hrs(1), enc('B')), await guard.sign(counting, sb(hrs(1), enc('B'))))).toBe(true);
    expect(counting.calls).toBe(1);
  });

  it('the position comes from the bytes: a conflicting vote cannot be filed under another height or step (hole 1)', async () => {
    const guard = await SigningGuard.open({ dir, init: true });
    using signer = edSigner();
    await guard.sign(signer, sb(hrs(5000, 0, 1), enc('vote for block X')));
    // The old API took (hrs, payload) from the caller: a conflicting body claimed a higher height and
    // was signed. Now the claim is inside the signed bytes, so a signature for 5001 is a vote for 5001
    // and cannot stand for 5000; at 5000 itself the conflict is refused.
    expect(await code(guard.sign(signer, sb(hrs(5000, 0, 1), enc('vote for block Y'))))).toBe('GUARD_DOUBLE_SIGN');
    expect(await code(guard.sign(signer, sb(hrs(5000, 0, 0), enc('vote for block Y'))))).toBe('GUARD_REGRESSION');
  });

  it('a key with no history is refused unless the guard is initialised; the floor is never gone below (hole 3)', async () => {
    using signer = edSigner();
    const fresh = await SigningGuard.open({ dir });
    expect(await code(fresh.sign(signer, sb(hrs(5), enc('A'))))).toBe('GUARD_STATE_MISSING');
    expect(readdirSync(dir)).toEqual([]);
    const init = await SigningGuard.open({ dir, init: true, minHeight: 1001 });
    expect(await code(init.sign(signer, sb(hrs(5), enc('A'))))).toBe('GUARD_BELOW_FLOOR');
    expect(await code(init.sign(signer, sb(hrs(1000, 9, 9), enc('A'))))).toBe('GUARD_BELOW_FLOOR');
    expect(await code(init.sign(signer, sb(hrs(1001), enc('A'))))).toBe('ok');
    // Once the key has history, an uninitialised guard signs above it.
    expect(await code(fresh.sign(signer, sb(hrs(1002), enc('A'))))).toBe('ok');
  });

  it("never deletes another writer's temp file: only the holder of a key's lock removes that key's leftovers (hole 2)", async () => {
    using signer = edSigner();
    // A temp file named by a pid that is not running here: before the fix, opening the store deleted it
    // although its writer may live in another pid namespace and be about to rename it into place.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const otherKey = `.${'ab'.repeat(16)}.json.${dead}.1.tmp`;
    const ownKey = `.${signer.keyId}.json.${dead}.1.tmp`;
    const ownState = `.${signer.keyId}.state.${dead}.2.tmp`;
    writeFileSync(join(dir, otherKey), 'in flight');
    writeFileSync(join(dir, ownKey), 'left by a crash');
    writeFileSync(join(dir, ownState), 'left by a crash');
    const guard = await SigningGuard.open({ dir, init: true });
    expect(readdirSync(dir).sort()).toEqual([ownKey, ownState, otherKey].sort());
    await guard.sign(signer, sb(hrs(1), enc('A')));
    // Under the key's lock no other writer of this key can be mid-write: its leftover goes, the other stays.
    expect(readdirSync(dir).sort()).toEqual([otherKey, `${signer.keyId}.state`].sort());
  });

  it('every write is a compare-and-swap: a state changed behind the lock stops the signing', async () => {
    using signer = edSigner();
    const store = await FileGuardStore.open(dir);
    let racer: (() => Promise<void>) | undefined;
    const guard = await SigningGuard.open({
      store,
      init: true,
      hooks: {
        at: async (p) => {
          if (p === 'signed') await racer?.();
        },
      },
    });
    await guard.sign(signer, sb(hrs(1), enc('A')));
    // A writer that ignored the lock replaces the state between the intent and the record.
    racer = async () => {
      const intent = guardStateJson(dir, signer.keyId);
      expect(intent.lastSigned.height).toBe(2);
      await plantGuardStateJson(dir, signer.keyId, { ...intent, lastSigned: { ...intent.lastSigned, height: 9 } });
    };
    expect(await code(guard.sign(signer, sb(hrs(2), enc('B'))))).toBe('GUARD_STATE_CONFLICT');
    // A record swapped in over "no record yet" (expected: undefined).
    const fresh = { keyId: signer.keyId, height: 1, round: 0, step: 1, payloadHash: null, signature: null };
    expect(await store.withKey(signer.keyId, () => store.compareAndSwap(signer.keyId, undefined, fresh))).toBe(false);
    await expect(store.compareAndSwap(signer.keyId, undefined, fresh)).rejects.toMatchObject({ code: 'CONSENSUS_INVALID_ARGUMENT' });
  });
});

describe('SigningGuard returnBeforeRecord (a signer service replies before the record is durable)', () => {
  /** A gate the record's slot write waits at, so a test can see what the caller has before the record. */
  function recordGate(): { hooks: { at(p: GuardPoint): Promise<void> }; reached: Promise<void>; open(): void } {
    let open = (): void => {};
    let reach = (): void => {};
    const reached = new Promise<void>((r) => (reach = r));
    const gate = new Promise<void>((r) => (open = r));
    return {
      hooks: {
        at: async (p) => {
          if (p !== 'record:slot-written') return;
          reach();
          await gate;
        },
      },
      reached,
      open: () => open(),
    };
  }
  const settledWithin = async <T>(p: Promise<T>, reached: Promise<void>): Promise<'settled' | 'pending'> => {
    let settled = false;
    void p.then(() => (settled = true));
    await reached;
    // The record is stopped at the gate: let every ready callback run, then look.
    await new Promise((r) => setImmediate(r));
    return settled ? 'settled' : 'pending';
  };

  it('the signature comes back while the record waits; the record lands before close() returns', async () => {
    using signer = edSigner();
    await (await SigningGuard.open({ dir, init: true })).sign(signer, sb(hrs(1), enc('A')));
    for (const returnBeforeRecord of [true, false]) {
      const d = mkdtempSync(join(tmpdir(), 'hrng-guard-early-'));
      await (await SigningGuard.open({ dir: d, init: true })).sign(signer, sb(hrs(1), enc('A')));
      const g = recordGate();
      const guard = await SigningGuard.open({ dir: d, init: true, returnBeforeRecord, hooks: g.hooks });
      const bytes = sb(hrs(2), enc('B'));
      const signing = guard.sign(signer, bytes);
      // The default must wait for the record (the mutation "always early" fails here); the option must not.
      expect([returnBeforeRecord, await settledWithin(signing, g.reached)]).toEqual([
        returnBeforeRecord,
        returnBeforeRecord ? 'settled' : 'pending',
      ]);
      if (returnBeforeRecord) {
        const sig = await signing;
        expect(signer.verify(bytes, sig)).toBe(true);
      }
      const closing = guard.close();
      expect(await settledWithin(closing, Promise.resolve())).toBe('pending');
      g.open();
      await closing;
      await signing;
      const after = await SigningGuard.open({ dir: d, init: true });
      const last = await after.lastSigned(signer.keyId);
      expect([last?.height, last?.signature === null]).toEqual([2, false]);
      await after.close();
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a record that fails after the reply is logged, never thrown, and the durable intent still refuses a conflict', async () => {
    using signer = edSigner();
    await (await SigningGuard.open({ dir, init: true })).sign(signer, sb(hrs(1), enc('A')));
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (_o: object, msg: string) => void errors.push(msg) };
    const guard = await SigningGuard.open({
      dir,
      init: true,
      returnBeforeRecord: true,
      logger,
      hooks: {
        at: (p) => {
          if (p === 'record:slot-written') throw new Error('disk gone');
        },
      },
    });
    const bytes = sb(hrs(2), enc('B'));
    const sig = await guard.sign(signer, bytes);
    expect(signer.verify(bytes, sig)).toBe(true);
    await guard.close();
    expect(errors).toEqual(['guard: the record after the reply failed; the key stands at its durable intent']);
    const again = await SigningGuard.open({ dir, init: true });
    expect(await code(again.sign(signer, sb(hrs(2), enc('C'))))).toBe('GUARD_DOUBLE_SIGN');
    // The same bytes may be signed again (the intent allows them); Ed25519 gives the same signature.
    expect(toHex(await again.sign(signer, bytes))).toBe(toHex(sig));
    await again.close();
  });

  it("a refusal or a failing signer is still the caller's error with returnBeforeRecord", async () => {
    const inner = edSigner();
    const signer = countingSigner(inner);
    const guard = await SigningGuard.open({ dir, init: true, returnBeforeRecord: true });
    await guard.sign(signer, sb(hrs(3), enc('A')));
    expect(await code(guard.sign(signer, sb(hrs(3), enc('B'))))).toBe('GUARD_DOUBLE_SIGN');
    expect(await code(guard.sign(signer, sb(hrs(2), enc('A'))))).toBe('GUARD_REGRESSION');
    signer.fail = true;
    expect(await code(guard.sign(signer, sb(hrs(4), enc('A'))))).not.toBe('ok');
    await guard.close();
    inner[Symbol.dispose]();
  });
});

describe('SigningGuard returnBeforeRecord: the record waits for an idle key and is superseded by the next intent', () => {
  /** Counts each durable slot write by phase (intent / record). */
  function writeCounter(): { hooks: { at(p: GuardPoint): void }; intents: number; records: number } {
    const c = {
      intents: 0,
      records: 0,
      hooks: {
        at: (p: GuardPoint) => {
          if (p === 'intent:slot-synced') c.intents++;
          if (p === 'record:slot-synced') c.records++;
        },
      },
    };
    return c;
  }
  /** A key with a history, so that every later write is a slot write (the first state is a whole file). */
  async function seeded(signer: Signer): Promise<void> {
    const g = await SigningGuard.open({ dir, init: true });
    await g.sign(signer, sb(hrs(1), enc('seed')));
    await g.close();
  }

  it('back-to-back signings write one intent each; only the last record is written, at close()', async () => {
    using signer = edSigner();
    await seeded(signer);
    const w = writeCounter();
    const guard = await SigningGuard.open({ dir, init: true, returnBeforeRecord: true, recordDelayMs: 60_000, hooks: w.hooks });
    const sigs: Uint8Array[] = [];
    for (let h = 2; h <= 5; h++) sigs.push(await guard.sign(signer, sb(hrs(h), enc(`v${h}`))));
    // The mutation "record after every reply" gives records 3 here.
    expect([w.intents, w.records]).toEqual([4, 0]);
    await guard.close();
    expect([w.intents, w.records]).toEqual([4, 1]);
    const again = await SigningGuard.open({ dir, init: true });
    const last = await again.lastSigned(signer.keyId);
    expect([last?.height, toHex(last?.signature ?? new Uint8Array())]).toEqual([5, toHex(sigs[3]!)]);
    await again.close();
  });

  it('an idle key gets its record without close() (recordDelayMs 0)', async () => {
    using signer = edSigner();
    await seeded(signer);
    let landed = (): void => {};
    const recorded = new Promise<void>((r) => (landed = r));
    const guard = await SigningGuard.open({
      dir,
      init: true,
      returnBeforeRecord: true,
      hooks: { at: (p) => void (p === 'record:slot-synced' && landed()) },
    });
    const sig = await guard.sign(signer, sb(hrs(2), enc('A')));
    await recorded;
    // Read through a second store: the record is on disk, not only in the guard's memory.
    const store = await FileGuardStore.open(dir);
    const onDisk = await store.read(signer.keyId);
    expect([onDisk?.height, toHex(onDisk?.signature ?? new Uint8Array())]).toEqual([2, toHex(sig)]);
    await store.close();
    await guard.close();
  });

  it('an identical re-request before the record gets the same signature without signing again', async () => {
    const inner = edSigner();
    const signer = countingSigner(inner);
    await seeded(signer);
    const guard = await SigningGuard.open({ dir, init: true, returnBeforeRecord: true, recordDelayMs: 60_000 });
    const bytes = sb(hrs(2), enc('A'));
    const a = await guard.sign(signer, bytes);
    const b = await guard.sign(signer, bytes);
    // Deciding on the disk alone (signature still null there) would sign again: calls 2.
    expect([toHex(b), signer.calls]).toEqual([toHex(a), 2]);
    await guard.close();
    inner[Symbol.dispose]();
  });

  it('a refusal before the record keeps it: the conflict is refused and the record still lands', async () => {
    using signer = edSigner();
    await seeded(signer);
    const guard = await SigningGuard.open({ dir, init: true, returnBeforeRecord: true, recordDelayMs: 60_000 });
    const sig = await guard.sign(signer, sb(hrs(2), enc('A')));
    expect(await code(guard.sign(signer, sb(hrs(2), enc('B'))))).toBe('GUARD_DOUBLE_SIGN');
    expect(await code(guard.sign(signer, sb(hrs(1), enc('A'))))).toBe('GUARD_REGRESSION');
    await guard.close();
    const again = await SigningGuard.open({ dir, init: true });
    const last = await again.lastSigned(signer.keyId);
    expect([last?.height, toHex(last?.signature ?? new Uint8Array())]).toEqual([2, toHex(sig)]);
    await again.close();
  });

  it('a record not yet written never overwrites a newer state another writer put on disk', async () => {
    using signer = edSigner();
    await seeded(signer);
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (_o: object, msg: string) => void errors.push(msg) };
    const first = await SigningGuard.open({ dir, init: true, returnBeforeRecord: true, recordDelayMs: 60_000, logger });
    await first.sign(signer, sb(hrs(2), enc('A')));
    // Another signer of the key (a replica, or a process that took the lock meanwhile) goes on to height 3.
    const other = await SigningGuard.open({ dir, init: true });
    const sig3 = await other.sign(signer, sb(hrs(3), enc('C')));
    await other.close();
    // The first guard must decide on the disk, not on its pending record: height 2 is now a regression.
    expect(await code(first.sign(signer, sb(hrs(2), enc('A'))))).toBe('GUARD_REGRESSION');
    await first.close();
    expect(errors).toEqual([]);
    const check = await SigningGuard.open({ dir, init: true });
    const last = await check.lastSigned(signer.keyId);
    expect([last?.height, toHex(last?.signature ?? new Uint8Array())]).toEqual([3, toHex(sig3)]);
    await check.close();
  });

  it('recordDelayMs must be an integer within 0..60000', async () => {
    for (const recordDelayMs of [-1, 1.5, 60_001]) {
      expect(await code(SigningGuard.open({ dir, init: true, returnBeforeRecord: true, recordDelayMs }))).toBe(
        'CONSENSUS_INVALID_ARGUMENT',
      );
    }
  });
});

describe('guard interchange (EIP-3076-like)', () => {
  it('export → import into a fresh directory carries the history: conflicts stay refused there', async () => {
    const src = await SigningGuard.open({ dir, init: true, clock: { monotonicMs: () => 0, wallMs: () => 0 } });
    using a = edSigner(1);
    using b = edSigner(2);
    const sigA = await src.sign(a, sb(hrs(12, 1, 2), enc('a')));
    await src.sign(b, sb(hrs(3), enc('b')));
    const doc = await src.exportInterchange();
    expect(doc.metadata).toEqual({
      interchange_format: 'hrng-signing-guard',
      interchange_format_version: '1',
      exported_at: '1970-01-01T00:00:00.000Z',
    });
    expect(doc.data.map((r) => r.key_id)).toEqual([a.keyId, b.keyId].sort());
    const recA = doc.data.find((r) => r.key_id === a.keyId);
    expect(recA?.last_signed).toMatchObject({ height: '12', round: '1', step: '3', signature: toHex(sigA) });

    const other = join(dir, 'moved');
    const dst = await SigningGuard.open({ dir: other, init: true });
    const report = await dst.importInterchange(JSON.parse(JSON.stringify(doc)));
    expect(report.raised.sort()).toEqual([a.keyId, b.keyId].sort());
    expect(await code(dst.sign(a, sb(hrs(12, 1, 2), enc('not a'))))).toBe('GUARD_DOUBLE_SIGN');
    expect(await code(dst.sign(a, sb(hrs(12, 1, 1), enc('a'))))).toBe('GUARD_REGRESSION');
    expect(toHex(await dst.sign(a, sb(hrs(12, 1, 2), enc('a'))))).toBe(toHex(sigA));
    // Importing the same again changes nothing.
    expect(await dst.importInterchange(doc)).toEqual({ raised: [], unchanged: [a.keyId, b.keyId].sort() });
  });

  it('merges conservatively: max wins; equal position with different payloads refuses everything there', async () => {
    const guard = await SigningGuard.open({ dir, init: true });
    using a = edSigner(1);
    await guard.sign(a, sb(hrs(10), enc('mine')));
    const mk = (height: string, payloadHash: string | null) => ({
      metadata: { interchange_format: 'hrng-signing-guard', interchange_format_version: '1', exported_at: '2026-01-01T00:00:00Z' },
      data: [{ key_id: a.keyId, last_signed: { height, round: '0', step: '2', payload_hash: payloadHash, signature: null } }],
    });
    expect(await guard.importInterchange(mk('9', 'aa'.repeat(32)))).toEqual({ raised: [], unchanged: [a.keyId] });
    expect(await code(guard.sign(a, sb(hrs(10), enc('mine'))))).toBe('ok');
    await guard.importInterchange(mk('10', 'bb'.repeat(32)));
    expect(await code(guard.sign(a, sb(hrs(10), enc('mine'))))).toBe('GUARD_DOUBLE_SIGN');
    expect(await code(guard.sign(a, sb(hrs(10, 0, 2), enc('next'))))).toBe('ok');
    await guard.importInterchange(mk('20', null));
    expect(await code(guard.sign(a, sb(hrs(20), enc('anything'))))).toBe('GUARD_DOUBLE_SIGN');
    expect(await code(guard.sign(a, sb(hrs(19), enc('anything'))))).toBe('GUARD_REGRESSION');
    expect(await code(guard.sign(a, sb(hrs(21), enc('anything'))))).toBe('ok');
  });

  it('an upper-case (or 0x-prefixed) hex key id in a document lands on the key it names, not on a look-alike', async () => {
    const guard = await SigningGuard.open({ dir, init: true });
    using a = edSigner(1);
    const meta = { interchange_format: 'hrng-signing-guard', interchange_format_version: '1', exported_at: '2026-01-01T00:00:00Z' };
    const rec = (keyId: string, height: string) => ({
      key_id: keyId,
      last_signed: { height, round: '0', step: '2', payload_hash: 'aa'.repeat(32), signature: null },
    });
    expect(await guard.importInterchange({ metadata: meta, data: [rec(a.keyId.toUpperCase(), '40')] })).toEqual({
      raised: [a.keyId],
      unchanged: [],
    });
    expect(await code(guard.sign(a, sb(hrs(40), enc('other'))))).toBe('GUARD_DOUBLE_SIGN');
    expect(await code(guard.sign(a, sb(hrs(39), enc('other'))))).toBe('GUARD_REGRESSION');
    expect(readdirSync(dir).filter((n) => n.endsWith('.json') || n.endsWith('.state'))).toEqual([`${a.keyId}.state`]);
    // Both spellings in one document are one key: the conservative merge applies between them.
    await guard.importInterchange({
      metadata: meta,
      data: [
        rec(a.keyId, '50'),
        { ...rec(`0x${a.keyId.toUpperCase()}`, '50'), last_signed: { ...rec('', '50').last_signed, payload_hash: 'bb'.repeat(32) } },
      ],
    });
    expect((await guard.lastSigned(a.keyId))?.payloadHash).toBeNull();
  });

  it('refuses a malformed document whole, writing nothing', async () => {
    const guard = await SigningGuard.open({ dir, init: true });
    const good = { key_id: 'ab'.repeat(16), last_signed: { height: '5', round: '0', step: '0', payload_hash: null, signature: null } };
    const meta = { interchange_format: 'hrng-signing-guard', interchange_format_version: '1', exported_at: 'x' };
    const bad: unknown[] = [
      null,
      [],
      { metadata: { ...meta, interchange_format_version: '2' }, data: [good] },
      { metadata: { ...meta, interchange_format: 'eip-3076' }, data: [good] },
      { metadata: meta, data: {} },
      { metadata: meta, data: [good, { ...good, key_id: '../x' }] },
      { metadata: meta, data: [good, { ...good, last_signed: { ...good.last_signed, height: '-1' } }] },
      { metadata: meta, data: [good, { ...good, last_signed: { ...good.last_signed, height: 5 } }] },
      { metadata: meta, data: [good, { ...good, last_signed: { ...good.last_signed, height: '99999999999999999' } }] },
      { metadata: meta, data: [good, { ...good, last_signed: { ...good.last_signed, payload_hash: 'abcd' } }] },
      { metadata: meta, data: [good, { ...good, last_signed: { ...good.last_signed, signature: 'abcd' } }] },
    ];
    for (const doc of bad) {
      expect(await code(guard.importInterchange(doc))).toBe('GUARD_INTERCHANGE_MALFORMED');
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('SigningGuard against a model (fast-check)', () => {
  it('allows exactly what the model allows, and never releases two payloads at one position', async () => {
    using signer = edSigner(3);
    const request = fc.record({ height: fc.nat(3), round: fc.nat(1), step: fc.nat(2), payload: fc.constantFrom('A', 'B') });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 12 }), async (reqs) => {
        const d = join(dir, `run-${runs++}`);
        const guard = await SigningGuard.open({ dir: d, init: true });
        let last: { h: Hrs; p: string } | undefined;
        const released = new Map<string, string>();
        for (const r of reqs) {
          const h = hrs(r.height, r.round, r.step);
          const cmp = last === undefined ? 1 : h.height - last.h.height || h.round - last.h.round || h.step - last.h.step;
          const expected = cmp > 0 ? 'ok' : cmp < 0 ? 'GUARD_REGRESSION' : last?.p === r.payload ? 'ok' : 'GUARD_DOUBLE_SIGN';
          const got = await code(guard.sign(signer, sb(h, enc(r.payload))));
          expect(got).toBe(expected);
          if (got === 'ok') {
            const key = `${h.height}/${h.round}/${h.step}`;
            expect(released.get(key) ?? r.payload).toBe(r.payload);
            released.set(key, r.payload);
            if (cmp > 0) last = { h, p: r.payload };
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
