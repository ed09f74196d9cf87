/**
 * The record a HotStuff node keeps on its disk so that a restart does not forget what it promised: the
 * last view it voted in, its lock, the view it is in and its commit point. Written (and fsynced) before
 * every vote, so it is binary rather than JSON: four big-endian u64 (last voted, locked view, view,
 * committed height) ‖ locked block (32) ‖ committed block (32). A record of any other length is a torn
 * or foreign one and reads as lost state — the signing guard, not this file, prevents a double sign.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { putU64 } from './hotstuff-messages.js';

export interface HotStuffState {
  lastVoted: number;
  lockedView: number;
  lockedBlock: string;
  view: number;
  committedHeight: number;
  committedBlock: string;
}

const RECORD_BYTES = 4 * 8 + 2 * 32;

/** Encodes states; remembers the last two block hashes it decoded from hex (they change only on a lock or commit). */
export class HotStuffStateCodec {
  #lockedHex = '';
  #locked = new Uint8Array(32);
  #committedHex = '';
  #committed = new Uint8Array(32);

  encode(s: HotStuffState): Uint8Array {
    if (s.lockedBlock !== this.#lockedHex) {
      this.#locked = hexToBytes(s.lockedBlock);
      this.#lockedHex = s.lockedBlock;
    }
    if (s.committedBlock !== this.#committedHex) {
      this.#committed = hexToBytes(s.committedBlock);
      this.#committedHex = s.committedBlock;
    }
    const out = new Uint8Array(RECORD_BYTES);
    putU64(out, 0, s.lastVoted);
    putU64(out, 8, s.lockedView);
    putU64(out, 16, s.view);
    putU64(out, 24, s.committedHeight);
    out.set(this.#locked, 32);
    out.set(this.#committed, 64);
    return out;
  }
}

/** The state in `bytes`, or undefined when they are not a whole record (lost state). */
export function decodeHotStuffState(bytes: Uint8Array): HotStuffState | undefined {
  if (bytes.length !== RECORD_BYTES) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const u64 = (i: number): number => v.getUint32(8 * i) * 2 ** 32 + v.getUint32(8 * i + 4);
  return {
    lastVoted: u64(0),
    lockedView: u64(1),
    view: u64(2),
    committedHeight: u64(3),
    lockedBlock: bytesToHex(bytes.subarray(32, 64)),
    committedBlock: bytesToHex(bytes.subarray(64, 96)),
  };
}
