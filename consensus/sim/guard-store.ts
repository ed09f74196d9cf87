/**
 * The signing guard's `GuardStateStore` on a simulated disk: the real guard (consensus/guard/) runs
 * unchanged in the simulation, and its durable state is subject to the simulation's storage faults.
 *
 * Each key's state is one binary record `guard/<keyId>` (written on every intent and every signature,
 * so it is compact rather than JSON): version (1) ‖ key id length (1) ‖ key id (ASCII) ‖ height (8) ‖
 * round (4) ‖ step (1) ‖ payload-hash length (1, 0 for none) ‖ payload hash ‖ signature length (2,
 * 0xffff for none) ‖ signature ‖ FNV-1a-32 of everything before (4), big-endian. A torn write is not an
 * adversary; the cheap checksum finds it, so a torn record reads as corrupt (GUARD_STATE_CORRUPT) and
 * the guard refuses rather than trust half a state. A decoded state is cached against the exact bytes
 * object the disk returned, so re-reading an unchanged record is free. `compareAndSwap` writes and
 * fsyncs before resolving — durable, as the contract says — unless the `skipFsync` fault (a store that
 * forgets its fsync) is on; a `tearWrite` fault tears one write and crashes the node in the middle of it.
 */
import { ConsensusError } from '../errors.js';
import { sameState, type GuardStateStore, type SignedState, type StoreWriteHooks } from '../guard/index.js';
import type { SimDisk } from './disk.js';

export interface SimGuardStoreFaults {
  /** Never fsync (a mutation: the guard's writes survive a crash only if written back in time). */
  readonly skipFsync?: boolean;
  /** Asked before each write: a byte count to keep means "tear this write there and crash now". */
  readonly tearWrite?: (length: number) => number | undefined;
  /** Called when a torn write crashes the node. */
  readonly crash?: () => void;
  /** Pending writes this old are written back by the OS when the next write comes (default never). */
  readonly writebackMs?: number;
}

const VERSION = 1;
const NO_SIGNATURE = 0xffff;

function fnv1a(bytes: Uint8Array, end: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < end; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return h >>> 0;
}

function encode(s: SignedState): Uint8Array {
  const k = s.keyId;
  const p = s.payloadHash;
  const g = s.signature;
  const out = new Uint8Array(1 + 1 + k.length + 8 + 4 + 1 + 1 + (p?.length ?? 0) + 2 + (g?.length ?? 0) + 4);
  const v = new DataView(out.buffer);
  let at = 0;
  out[at++] = VERSION;
  out[at++] = k.length;
  for (let i = 0; i < k.length; i++) out[at++] = k.charCodeAt(i);
  v.setUint32(at, Math.floor(s.height / 2 ** 32));
  v.setUint32(at + 4, s.height >>> 0);
  v.setUint32(at + 8, s.round);
  out[at + 12] = s.step;
  at += 13;
  out[at++] = p?.length ?? 0;
  if (p !== null) {
    out.set(p, at);
    at += p.length;
  }
  v.setUint16(at, g === null ? NO_SIGNATURE : g.length);
  at += 2;
  if (g !== null) {
    out.set(g, at);
    at += g.length;
  }
  v.setUint32(at, fnv1a(out, at));
  return out;
}

function decode(bytes: Uint8Array, keyId: string): SignedState {
  const corrupt = (why: string): ConsensusError =>
    new ConsensusError(
      'GUARD_STATE_CORRUPT',
      `simulated guard state of ${keyId} is unreadable (${why}); refusing to sign until it is repaired`,
    );
  const n = bytes.length;
  if (n < 4) throw corrupt('no checksum');
  const v = new DataView(bytes.buffer, bytes.byteOffset, n);
  if (v.getUint32(n - 4) !== fnv1a(bytes, n - 4)) throw corrupt('checksum mismatch');
  if (bytes[0] !== VERSION) throw corrupt('unknown version');
  const kl = bytes[1] ?? 0;
  let at = 2 + kl;
  // The checksum is good, so only a record of another key or a bug can fail the checks below.
  if (at + 15 > n - 4) throw corrupt('truncated');
  let k = '';
  for (let i = 2; i < at; i++) k += String.fromCharCode(bytes[i] as number);
  if (k !== keyId) throw corrupt('key id mismatch');
  const height = v.getUint32(at) * 2 ** 32 + v.getUint32(at + 4);
  const round = v.getUint32(at + 8);
  const step = bytes[at + 12] as number;
  at += 13;
  const pl = bytes[at++] as number;
  const payloadHash = pl === 0 ? null : bytes.slice(at, at + pl);
  at += pl;
  if (at + 2 > n - 4) throw corrupt('truncated');
  const gl = v.getUint16(at);
  at += 2;
  const signature = gl === NO_SIGNATURE ? null : bytes.slice(at, at + gl);
  at += gl === NO_SIGNATURE ? 0 : gl;
  if (at !== n - 4) throw corrupt('length mismatch');
  return { keyId, height, round, step, payloadHash, signature };
}

export class SimGuardStore implements GuardStateStore {
  readonly #disk: SimDisk;
  readonly #now: () => number;
  readonly #faults: SimGuardStoreFaults;
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #decoded = new Map<string, { readonly bytes: Uint8Array; readonly state: SignedState }>();
  writes = 0;

  constructor(disk: SimDisk, now: () => number, faults: SimGuardStoreFaults = {}) {
    this.#disk = disk;
    this.#now = now;
    this.#faults = faults;
  }

  async withKey<T>(keyId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(keyId);
    // Nobody holds the key: start at once rather than a promise tick later (the usual case: one signer).
    const run = previous === undefined ? fn() : previous.catch(() => undefined).then(fn);
    this.#queues.set(keyId, run);
    try {
      return await run;
    } finally {
      if (this.#queues.get(keyId) === run) this.#queues.delete(keyId);
    }
  }

  async read(keyId: string): Promise<SignedState | undefined> {
    return this.#read(keyId);
  }

  #read(keyId: string): SignedState | undefined {
    const bytes = this.#disk.read(`guard/${keyId}`);
    if (bytes === undefined) return undefined;
    const cached = this.#decoded.get(keyId);
    if (cached !== undefined && cached.bytes === bytes) return cached.state;
    const state = decode(bytes, keyId);
    this.#decoded.set(keyId, { bytes, state });
    return state;
  }

  async compareAndSwap(
    keyId: string,
    expected: SignedState | undefined,
    next: SignedState,
    opts: { readonly hooks?: StoreWriteHooks } = {},
  ): Promise<boolean> {
    const current = this.#read(keyId);
    // The guard usually passes back the very state object read() returned: no need to compare fields.
    if (current !== expected && !sameState(current, expected)) return false;
    const file = `guard/${keyId}`;
    const bytes = encode(next);
    const keep = this.#faults.tearWrite?.(bytes.length);
    if (keep !== undefined) {
      this.#disk.tornWrite(file, bytes, keep);
      this.#faults.crash?.();
      throw new ConsensusError('SIM_CRASHED', 'the node lost power in the middle of a guard write');
    }
    this.writes++;
    this.#disk.adopt(file, bytes, this.#now(), this.#faults.writebackMs);
    // Only awaited when there are hooks: an `await undefined` still costs a promise tick per write.
    if (opts.hooks !== undefined) await opts.hooks.at('temp-written');
    const stored = this.#disk.read(file);
    if (stored !== undefined) this.#decoded.set(keyId, { bytes: stored, state: next });
    if (this.#faults.skipFsync !== true) this.#disk.fsync(file);
    if (opts.hooks !== undefined) await opts.hooks.at('dir-synced');
    return true;
  }

  async close(): Promise<void> {}
}
