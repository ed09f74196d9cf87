/**
 * A double-buffered record file: the newest of two checksummed copies wins (the scheme of TigerBeetle's
 * superblock copies and of LMDB's two meta pages), so replacing the record costs one positional write and
 * one fdatasync(2) instead of a temp file, an fsync, a rename and a directory fsync.
 *
 * Layout: the file is exactly two slots of S bytes (S a power of two, 4096 ≤ S ≤ 1 MiB; S = file size / 2).
 * Each slot, little-endian:
 *
 *   offset  size  field
 *        0     8  magic "hrngslot"
 *        8     4  format version (u32) = 1
 *       12     4  payload length n (u32), 24 + n + 32 ≤ S
 *       16     8  sequence number (u64), ≥ 1
 *       24     n  payload
 *   24 + n    32  SHA-256 of bytes [0, 24 + n)
 *
 * followed by zeros to the next 4096-byte boundary inside the slot (the part a write covers).
 *
 * Writing: the new record gets sequence + 1 and goes into the slot NOT holding the current record, written
 * whole with one pwrite(2), then fdatasync(2). The file is created (by the caller) whole and fsynced with its
 * directory, so its size never changes afterwards and fdatasync needs no metadata. Reading: the valid slot
 * with the highest sequence. Why this is crash-safe: the slot holding the current record is never written, so
 * a write torn by a crash or power loss (any mix of old and new sectors, zeros, garbage) damages only the
 * other slot, which then fails its checksum and is ignored — the reader gets the record from before the write,
 * never one that was not written. The checksum covers the sequence, so a torn slot cannot win by its number.
 *
 * Failing closed: a slot with the wrong magic (zeroed, never written, garbage) or another format version is
 * ignored like a bad checksum — a write torn just after the magic leaves exactly that, and must read as the
 * state before it; so a future format must never share a file with version-1 slots (it takes another file
 * name, or rewrites both slots), or a version-1 reader could take its older slot. No valid slot at all, two
 * valid slots with one sequence, or a file whose size is not two slots is GUARD_STATE_CORRUPT naming the
 * file — never "no record".
 *
 * I/O here is synchronous (positional readSync/writeSync, fdatasyncSync): it blocks the event loop for the
 * one data sync of a write. That is the point — no libuv threadpool round trips — and acceptable where one
 * writer replaces one small record in order (a signer's key; tests/bench/signer.bench.ts measures both).
 *
 * Not supported: records larger than 1 MiB − 56 bytes; more than 2^64 − 1 writes; file systems that
 * acknowledge fdatasync without making the data durable (no design survives those); silent corruption of
 * the current slot is detected (refused) but not repaired — there is no third copy.
 */
import { fdatasyncSync, fstatSync, readSync, writeSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { ConsensusError } from '../errors.js';

export const SLOT_MAGIC = new TextEncoder().encode('hrngslot');
export const SLOT_FORMAT_VERSION = 1;
export const SLOT_HEADER_BYTES = 24;
export const SLOT_CHECKSUM_BYTES = 32;
export const MIN_SLOT_BYTES = 4096;
export const MAX_SLOT_BYTES = 1 << 20;
/** The largest payload a slot file can hold. */
export const MAX_SLOT_PAYLOAD = MAX_SLOT_BYTES - SLOT_HEADER_BYTES - SLOT_CHECKSUM_BYTES;
const PAGE = 4096;
const MAX_SEQUENCE = (1n << 64n) - 1n;

/** The steps of a slot write, for fault injection (a test kills the process at each). */
export type SlotWritePoint = 'slot-written' | 'slot-synced';

export interface SlotWriteHooks {
  at(point: SlotWritePoint): void | Promise<void>;
}

/** One slot's verdict: its record, or why it holds none (ignored); `refuse` fails the whole file. */
export type SlotVerdict =
  | { readonly valid: true; readonly sequence: bigint; readonly payload: Uint8Array }
  | { readonly valid: false; readonly refuse: boolean; readonly why: string };

/** The record a slot file holds now and where. */
export interface CurrentSlot {
  readonly index: 0 | 1;
  readonly sequence: bigint;
  readonly payload: Uint8Array;
  readonly slotSize: number;
}

const corrupt = (path: string, why: string): ConsensusError =>
  new ConsensusError('GUARD_STATE_CORRUPT', `guard state ${path} is unreadable (${why}); refusing to sign until it is repaired`);

/** The bytes of one slot holding `payload` at `sequence`: header, payload, checksum (no padding). */
export function encodeSlot(sequence: bigint, payload: Uint8Array): Uint8Array {
  if (sequence < 1n || sequence > MAX_SEQUENCE) throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', 'slot sequence out of range');
  if (payload.length > MAX_SLOT_PAYLOAD) {
    throw new ConsensusError('GUARD_STORE_FAILED', `a guard state of ${payload.length} bytes exceeds the slot file's ${MAX_SLOT_PAYLOAD}`);
  }
  const out = new Uint8Array(SLOT_HEADER_BYTES + payload.length + SLOT_CHECKSUM_BYTES);
  const view = new DataView(out.buffer);
  out.set(SLOT_MAGIC, 0);
  view.setUint32(8, SLOT_FORMAT_VERSION, true);
  view.setUint32(12, payload.length, true);
  view.setBigUint64(16, sequence, true);
  out.set(payload, SLOT_HEADER_BYTES);
  out.set(sha256(out.subarray(0, SLOT_HEADER_BYTES + payload.length)), SLOT_HEADER_BYTES + payload.length);
  return out;
}

/** Reads one slot (S bytes). Pure: the checksum is checked before any field after the header is trusted. */
export function decodeSlot(slot: Uint8Array): SlotVerdict {
  if (slot.length < SLOT_HEADER_BYTES + SLOT_CHECKSUM_BYTES) return { valid: false, refuse: false, why: 'too short' };
  for (let i = 0; i < SLOT_MAGIC.length; i++) {
    if (slot[i] !== SLOT_MAGIC[i]) return { valid: false, refuse: false, why: 'no slot magic' };
  }
  const view = new DataView(slot.buffer, slot.byteOffset, slot.byteLength);
  const version = view.getUint32(8, true);
  if (version !== SLOT_FORMAT_VERSION)
    // Ignored like any slot that does not check out: a write torn right after the magic leaves this (found by
    // the torn-write property). A future format must therefore never share a file with version-1 slots.
    return { valid: false, refuse: false, why: `slot format version ${version}, this build reads ${SLOT_FORMAT_VERSION}` };
  const length = view.getUint32(12, true);
  const end = SLOT_HEADER_BYTES + length;
  if (end + SLOT_CHECKSUM_BYTES > slot.length) return { valid: false, refuse: false, why: 'length beyond the slot' };
  const sum = sha256(slot.subarray(0, end));
  let diff = 0;
  for (let i = 0; i < SLOT_CHECKSUM_BYTES; i++) diff |= (sum[i] ?? 0) ^ (slot[end + i] ?? 0);
  if (diff !== 0) return { valid: false, refuse: false, why: 'checksum mismatch' };
  const sequence = view.getBigUint64(16, true);
  if (sequence === 0n) return { valid: false, refuse: false, why: 'sequence 0' };
  return { valid: true, sequence, payload: slot.slice(SLOT_HEADER_BYTES, end) };
}

/** The smallest slot size (a power of two ≥ 4096) that holds `payloadLength` bytes. */
export function slotSizeFor(payloadLength: number): number {
  let size = MIN_SLOT_BYTES;
  while (size < SLOT_HEADER_BYTES + payloadLength + SLOT_CHECKSUM_BYTES && size < MAX_SLOT_BYTES) size *= 2;
  return size;
}

/** Whether `payloadLength` fits a slot of `slotSize`. */
export function fitsSlot(payloadLength: number, slotSize: number): boolean {
  return SLOT_HEADER_BYTES + payloadLength + SLOT_CHECKSUM_BYTES <= slotSize;
}

/** A whole new file: slot 0 holds `payload` at `sequence`, slot 1 is zeros (written out: no holes). */
export function slotFileImage(sequence: bigint, payload: Uint8Array, slotSize = slotSizeFor(payload.length)): Uint8Array {
  const image = new Uint8Array(2 * slotSize);
  image.set(encodeSlot(sequence, payload), 0);
  return image;
}

/** The current record of a whole file's bytes (see the header for what is refused). */
export function currentSlot(file: Uint8Array, path: string): CurrentSlot {
  const slotSize = file.length / 2;
  if (!Number.isInteger(slotSize) || slotSize < MIN_SLOT_BYTES || slotSize > MAX_SLOT_BYTES || (slotSize & (slotSize - 1)) !== 0) {
    throw corrupt(path, `${file.length} bytes is not two slots`);
  }
  const verdicts = [decodeSlot(file.subarray(0, slotSize)), decodeSlot(file.subarray(slotSize))] as const;
  let best: CurrentSlot | undefined;
  for (const index of [0, 1] as const) {
    const v = verdicts[index];
    if (!v.valid) {
      if (v.refuse) throw corrupt(path, `slot ${index}: ${v.why}`);
      continue;
    }
    if (best !== undefined && best.sequence === v.sequence) throw corrupt(path, `both slots hold sequence ${v.sequence}`);
    if (best === undefined || v.sequence > best.sequence) best = { index, sequence: v.sequence, payload: v.payload, slotSize };
  }
  if (best === undefined) {
    const why = verdicts.map((v, i) => `slot ${i}: ${v.valid ? 'valid' : v.why}`).join(', ');
    throw corrupt(path, `no valid slot (${why})`);
  }
  return best;
}

/** The current record of the file behind `fd` (one positional read of the whole file from 0). */
export function readSlotFileSync(fd: number, path: string): CurrentSlot {
  const size = fstatSync(fd).size;
  if (size > 2 * MAX_SLOT_BYTES) throw corrupt(path, `${size} bytes is not two slots`);
  const buf = new Uint8Array(size);
  let off = 0;
  while (off < size) {
    const n = readSync(fd, buf, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  return currentSlot(off === size ? buf : buf.subarray(0, off), path);
}

/** Where the next record goes and the bytes written there (pure; `writeNextSlot` does the I/O). */
export interface SlotWrite {
  readonly position: number;
  /** The record and zeros to the next 4096-byte boundary (stale bytes of a longer record are cleared). */
  readonly block: Uint8Array;
  readonly next: CurrentSlot;
}

/** `payload` at `current.sequence + 1` in the slot not holding `current`. The caller checked `fitsSlot`. */
export function planNextSlot(current: CurrentSlot, payload: Uint8Array): SlotWrite {
  if (!fitsSlot(payload.length, current.slotSize)) {
    throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', `a ${payload.length}-byte record does not fit a ${current.slotSize}-byte slot`);
  }
  const sequence = current.sequence + 1n;
  const record = encodeSlot(sequence, payload);
  const index: 0 | 1 = current.index === 0 ? 1 : 0;
  const block = new Uint8Array(Math.min(current.slotSize, Math.ceil(record.length / PAGE) * PAGE));
  block.set(record, 0);
  return { position: index * current.slotSize, block, next: { index, sequence, payload, slotSize: current.slotSize } };
}

/**
 * Writes the next record (planNextSlot) with one positional write, then fdatasync: one data sync. Resolves
 * once the record is durable; the slot holding `current` is never touched.
 */
export async function writeNextSlot(fd: number, current: CurrentSlot, payload: Uint8Array, hooks?: SlotWriteHooks): Promise<CurrentSlot> {
  const { position, block, next } = planNextSlot(current, payload);
  let off = 0;
  while (off < block.length) off += writeSync(fd, block, off, block.length - off, position + off);
  if (hooks !== undefined) await hooks.at('slot-written');
  fdatasyncSync(fd);
  if (hooks !== undefined) await hooks.at('slot-synced');
  return next;
}
