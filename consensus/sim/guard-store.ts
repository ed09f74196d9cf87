/**
 * The signing guard's `GuardStateStore` on a simulated disk: the real guard (consensus/guard/) runs
 * unchanged in the simulation, and its durable state is subject to the simulation's storage faults.
 *
 * Each key's state is one record `guard/<keyId>`: a JSON state line followed by its FNV-1a checksum
 * (a torn write is not an adversary; a cheap checksum finds it), so a torn write reads as corrupt
 * (GUARD_STATE_CORRUPT) and the guard refuses rather than trust half a state. A decoded state is
 * cached against the exact bytes object the disk returned, so re-reading an unchanged record is free. `compareAndSwap` writes and fsyncs before resolving — durable, as the
 * contract says — unless the `skipFsync` fault (a store that forgets its fsync) is on; a
 * `tearWrite` fault tears one write and crashes the node in the middle of it.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
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

const enc = new TextEncoder();
const dec = new TextDecoder();

function checksum(line: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < line.length; i++) h = Math.imul(h ^ line.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function encode(s: SignedState): Uint8Array {
  const line = JSON.stringify({
    k: s.keyId,
    h: s.height,
    r: s.round,
    s: s.step,
    p: s.payloadHash === null ? null : bytesToHex(s.payloadHash),
    g: s.signature === null ? null : bytesToHex(s.signature),
  });
  return enc.encode(`${line}\n${checksum(line)}`);
}

function decode(bytes: Uint8Array, keyId: string): SignedState {
  const corrupt = (why: string): ConsensusError =>
    new ConsensusError(
      'GUARD_STATE_CORRUPT',
      `simulated guard state of ${keyId} is unreadable (${why}); refusing to sign until it is repaired`,
    );
  const text = dec.decode(bytes);
  const nl = text.lastIndexOf('\n');
  if (nl < 0) throw corrupt('no checksum');
  const line = text.slice(0, nl);
  if (text.slice(nl + 1) !== checksum(line)) throw corrupt('checksum mismatch');
  let j: { k: string; h: number; r: number; s: number; p: string | null; g: string | null };
  try {
    j = JSON.parse(line) as { k: string; h: number; r: number; s: number; p: string | null; g: string | null };
  } catch {
    throw corrupt('not JSON');
  }
  if (j.k !== keyId) throw corrupt('key id mismatch');
  return {
    keyId,
    height: j.h,
    round: j.r,
    step: j.s,
    payloadHash: j.p === null ? null : hexToBytes(j.p),
    signature: j.g === null ? null : hexToBytes(j.g),
  };
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
    const previous = this.#queues.get(keyId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(fn);
    this.#queues.set(keyId, run);
    try {
      return await run;
    } finally {
      if (this.#queues.get(keyId) === run) this.#queues.delete(keyId);
    }
  }

  async read(keyId: string): Promise<SignedState | undefined> {
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
    const current = await this.read(keyId);
    if (!sameState(current, expected)) return false;
    const file = `guard/${keyId}`;
    const bytes = encode(next);
    const keep = this.#faults.tearWrite?.(bytes.length);
    if (keep !== undefined) {
      this.#disk.tornWrite(file, bytes, keep);
      this.#faults.crash?.();
      throw new ConsensusError('SIM_CRASHED', 'the node lost power in the middle of a guard write');
    }
    this.writes++;
    this.#disk.write(file, bytes, this.#now(), this.#faults.writebackMs);
    await opts.hooks?.at('temp-written');
    const stored = this.#disk.read(file);
    if (stored !== undefined) this.#decoded.set(keyId, { bytes: stored, state: next });
    if (this.#faults.skipFsync !== true) this.#disk.fsync(file);
    await opts.hooks?.at('dir-synced');
    return true;
  }

  async close(): Promise<void> {}
}
