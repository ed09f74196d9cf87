/**
 * Clones of a running process (issue 10 §2): a VM snapshot or CRIU restore copies the generator's state;
 * every copy must diverge. The restore is simulated with crypto/testing's snapshotRng/restoreRng: the
 * DRBG state is serialized and brought back twice without a pool draw, as a restored process would be.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { Rng, type RngOptions } from '../../../../crypto/drbg/rng.js';
import { loadCpuRandom } from '../../../../crypto/native/cpu-random.js';
import { forkDetector, sentinelForkDetector } from '../../../../crypto/native/pid.js';
import { DeterministicRng, restoreRng, rngBatchForTesting, snapshotRng } from '../../../../crypto/testing.js';
import { uniformSource } from '../../../adversarial/entropy/fakes.js';
import { manualClock } from './helpers.js';

// Fresh fakes per generator but with the same seeds: the clones see identical "entropy" from the pool,
// so only the getrandom() bytes in the additional input can make them differ.
const options = (extra: Partial<RngOptions> = {}): RngOptions => ({
  sources: [uniformSource({ id: 'os', credit: 8 }, 'os'), uniformSource({ id: 'jitter', kind: 'raw', credit: 1 }, 'jitter')],
  clock: manualClock(),
  pid: () => 4242,
  ...extra,
});

describe('clone safety', () => {
  it('two restores of one serialized state serve different bytes (fresh getrandom() in every generate)', async () => {
    const original = await Rng.create(options());
    original.randomBytes(32);
    const state = snapshotRng(original);
    const a = await restoreRng(state, options());
    const b = await restoreRng(state, options());
    expect(bytesToHex(a.randomBytes(32))).not.toBe(bytesToHex(b.randomBytes(32)));
    // Large requests (their own generate calls) and additional input diverge too.
    expect(bytesToHex(a.randomBytes(1000, Uint8Array.of(1)))).not.toBe(bytesToHex(b.randomBytes(1000, Uint8Array.of(1))));
    expect([a.health().counters.reseeds, b.health().counters.reseeds]).toEqual([0, 0]); // no pool draw did it
  });

  it("cloneSafe: 'strict' has no block, and clones diverge on their first request", async () => {
    const original = await Rng.create(options({ cloneSafe: 'strict' }));
    expect(rngBatchForTesting(original).batch.length).toBe(0);
    const state = snapshotRng(original);
    const a = await restoreRng(state, options({ cloneSafe: 'strict' }));
    const b = await restoreRng(state, options({ cloneSafe: 'strict' }));
    expect(bytesToHex(a.randomBytes(16))).not.toBe(bytesToHex(b.randomBytes(16)));
    expect(a.health().counters.drbgRequests).toBe(1);
    a.randomBytes(16);
    expect(a.health().counters.drbgRequests).toBe(2); // every request is its own generate call
    expect(a.health().cloneSafe).toBe('strict');
  });

  it('a jump in (wall − monotonic) reseeds and wipes the block before serving', async () => {
    const clock = manualClock();
    const rng = await Rng.create(options({ clock }));
    rng.randomBytes(32);
    const leftInBlock = rngBatchForTesting(rng).batch.slice(32, 64);
    const purposes: string[] = [];
    rng.on('reseed', (p) => purposes.push(p.purpose));
    clock.advance(500);
    rng.randomBytes(32); // time passing on both clocks is not a jump
    expect(purposes).toEqual([]);
    clock.jumpWall(3_600_000); // restored an hour later
    const served = rng.randomBytes(32);
    expect(purposes).toEqual(['clock-jump']);
    expect(bytesToHex(served)).not.toBe(bytesToHex(leftInBlock));
    expect(rng.health().counters.reseeds).toBe(1);
    clock.jumpWall(-500); // within clockJumpMs (1 s): NTP-sized steps do not reseed
    rng.randomBytes(32);
    expect(purposes).toEqual(['clock-jump']);
  });

  it('rng.reseed() — the orchestrator restore hook — wipes the block and draws from the pool', async () => {
    const rng = await Rng.create(options());
    rng.randomBytes(8);
    expect(rngBatchForTesting(rng).batch.some((x) => x !== 0)).toBe(true);
    rng.reseed();
    expect(rngBatchForTesting(rng).batch.every((x) => x === 0)).toBe(true);
    expect(rng.health().seed?.purpose).toBe('on-demand');
  });

  it('detects forks with a wipe-on-fork page (getpid(2) as fallback) where the helper is built, and says so', async () => {
    const load = loadCpuRandom();
    const detector = forkDetector();
    expect(detector.mechanism).toBe(load.loaded ? 'wipe-on-fork' : 'none');
    expect(detector.pid()).toBe(process.pid);
    expect(detector.forked()).toBe(false);
    const rng = await Rng.create({ ...options(), pid: undefined as never });
    expect(rng.health().forkCheck.mechanism).toBe(detector.mechanism);
    if (!load.loaded) return;
    // A fork(2) child sees the page zero-filled; simulate that on a fresh page of the real helper.
    const page = load.addon.forkSentinel?.();
    expect(page?.byteLength).toBeGreaterThanOrEqual(4096);
    const d = sentinelForkDetector(page as ArrayBuffer, () => 1);
    expect(d.forked()).toBe(false);
    new Uint8Array(page as ArrayBuffer)[0] = 0;
    expect(d.forked()).toBe(true);
    d.rearm();
    expect(d.forked()).toBe(false);
  });

  it('DeterministicRng restores exactly: a snapshot replays the same stream every time', () => {
    const d = DeterministicRng.fromSeed(new Uint8Array(32).fill(7), { label: 'node-1' });
    d.randomBytes(100);
    const snap = d.snapshot();
    const next = d.randomBytes(70_000);
    for (let i = 0; i < 2; i++) expect(bytesToHex(DeterministicRng.restore(snap).randomBytes(70_000))).toBe(bytesToHex(next));
    expect(() => DeterministicRng.restore(snap.subarray(1))).toThrow(expect.objectContaining({ code: 'DRBG_STATE_REJECTED' }));
    const tampered = snap.slice();
    tampered[1] = 9;
    expect(() => DeterministicRng.restore(tampered)).toThrow(expect.objectContaining({ code: 'DRBG_STATE_REJECTED' }));
  });
});
