/**
 * Chained HotStuff's messages (Yin et al., PODC 2019, Algorithm 3) and what is signed for each, in the
 * project's own sign-bytes format `hrng-sign/v1` (consensus/guard/hrng-sign-bytes.ts), so the signing
 * guard reads the position from the bytes:
 *
 * | message | height | round | step | body |
 * | --- | --- | --- | --- | --- |
 * | proposal of a block in view v | v | 0 | 1 | block hash (32) ‖ nonce (16) |
 * | vote for a block of view v | v | 0 | 2 | block hash (32) ‖ nonce (16) |
 * | new-view leaving view v (timeout) | v | 0 | 3 | high QC view (8) ‖ high QC block (32) ‖ nonce (16) |
 *
 * The guard's "height" is therefore the view: two blocks proposed in one view are the guard's "two
 * blocks at one height". Every signature carries a 16-byte nonce from the validator's generator (a
 * hedge, and what the entropy check watches): a validator whose generator failed can sign nothing.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { encodeHrngSignBytes } from '../guard/hrng-sign-bytes.js';

export const STEP_PROPOSAL = 1;
export const STEP_VOTE = 2;
export const STEP_NEW_VIEW = 3;
export const NONCE_BYTES = 16;

/** A vote inside a certificate. */
export interface QcVote {
  readonly voter: number;
  readonly nonce: Uint8Array;
  readonly signature: Uint8Array;
}

/** A quorum certificate: 2f + 1 votes for `block` in `view`. The genesis QC has no votes. */
export interface QC {
  readonly view: number;
  readonly block: string;
  readonly height: number;
  readonly votes: readonly QcVote[];
}

export interface Block {
  readonly view: number;
  readonly height: number;
  /** Always the block `justify` certifies: a block extends the QC it carries. */
  readonly parent: string;
  readonly justify: QC;
  readonly proposer: number;
  readonly txs: readonly string[];
  readonly nonce: Uint8Array;
  readonly hash: string;
}

export type HotStuffMessage =
  | { readonly kind: 'proposal'; readonly block: Block; readonly signature: Uint8Array }
  | {
      readonly kind: 'vote';
      readonly view: number;
      readonly block: string;
      readonly height: number;
      readonly voter: number;
      readonly nonce: Uint8Array;
      readonly signature: Uint8Array;
    }
  | {
      readonly kind: 'new-view';
      readonly view: number;
      readonly highQC: QC;
      readonly sender: number;
      readonly nonce: Uint8Array;
      readonly signature: Uint8Array;
    }
  | { readonly kind: 'fetch'; readonly hash: string }
  | { readonly kind: 'tx'; readonly tx: string };

export const GENESIS_HASH = '00'.repeat(32);
export const GENESIS_QC: QC = { view: 0, block: GENESIS_HASH, height: 0, votes: [] };
export const GENESIS: Block = {
  view: 0,
  height: 0,
  parent: GENESIS_HASH,
  justify: GENESIS_QC,
  proposer: -1,
  txs: [],
  nonce: new Uint8Array(NONCE_BYTES),
  hash: GENESIS_HASH,
};

const enc = new TextEncoder();

/** Block hashes seen lately, hex → bytes: a block's hash is turned back into bytes by everyone who signs or checks it. */
const hashBytesCache = new Map<string, Uint8Array>();
const HASH_CACHE_ENTRIES = 4096;

/** The bytes of a hex hash (memoised; the result is shared, so callers copy it and never change it). */
function hashBytes(hex: string): Uint8Array {
  let b = hashBytesCache.get(hex);
  if (b === undefined) {
    if (hashBytesCache.size >= HASH_CACHE_ENTRIES) hashBytesCache.clear();
    b = hexToBytes(hex);
    hashBytesCache.set(hex, b);
  }
  return b;
}

/** Writes `n` (< 2^53) big-endian in 8 bytes at `at`; returns the offset after it. */
export function putU64(out: Uint8Array, at: number, n: number): number {
  const hi = Math.floor(n / 2 ** 32);
  const lo = n >>> 0;
  out[at] = hi >>> 24;
  out[at + 1] = hi >>> 16;
  out[at + 2] = hi >>> 8;
  out[at + 3] = hi;
  out[at + 4] = lo >>> 24;
  out[at + 5] = lo >>> 16;
  out[at + 6] = lo >>> 8;
  out[at + 7] = lo;
  return at + 8;
}

function put(out: Uint8Array, at: number, bytes: Uint8Array): number {
  out.set(bytes, at);
  return at + bytes.length;
}

/** SHA-256 over the block's fields (the QC by view and block; its votes are checked, not hashed). */
export function blockHash(b: Omit<Block, 'hash'>): string {
  const txs = enc.encode(b.txs.join('\n'));
  const parent = hashBytes(b.parent);
  const justified = hashBytes(b.justify.block);
  const out = new Uint8Array(5 * 8 + parent.length + justified.length + txs.length + b.nonce.length);
  let at = putU64(out, 0, b.view);
  at = putU64(out, at, b.height);
  at = put(out, at, parent);
  at = putU64(out, at, b.justify.view);
  at = put(out, at, justified);
  at = putU64(out, at, b.proposer + 1);
  at = putU64(out, at, txs.length);
  at = put(out, at, txs);
  put(out, at, b.nonce);
  return bytesToHex(sha256(out));
}

/** hash (32) ‖ nonce (16): the body of a proposal's and a vote's sign bytes. */
function hashAndNonce(hash: string, nonce: Uint8Array): Uint8Array {
  const h = hashBytes(hash);
  const body = new Uint8Array(h.length + nonce.length);
  body.set(h);
  body.set(nonce, h.length);
  return body;
}

export function proposalSignBytes(chainId: string, view: number, hash: string, nonce: Uint8Array): Uint8Array {
  return encodeHrngSignBytes({ chainId, hrs: { height: view, round: 0, step: STEP_PROPOSAL }, body: hashAndNonce(hash, nonce) });
}

export function voteSignBytes(chainId: string, view: number, hash: string, nonce: Uint8Array): Uint8Array {
  return encodeHrngSignBytes({ chainId, hrs: { height: view, round: 0, step: STEP_VOTE }, body: hashAndNonce(hash, nonce) });
}

export function newViewSignBytes(chainId: string, leaving: number, highQC: QC, nonce: Uint8Array): Uint8Array {
  const h = hashBytes(highQC.block);
  const body = new Uint8Array(8 + h.length + nonce.length);
  put(body, put(body, putU64(body, 0, highQC.view), h), nonce);
  return encodeHrngSignBytes({ chainId, hrs: { height: leaving, round: 0, step: STEP_NEW_VIEW }, body });
}

/** A short name for the trace. */
export function labelOf(m: HotStuffMessage): string {
  switch (m.kind) {
    case 'proposal':
      return `p${m.block.view}:${m.block.hash.slice(0, 8)}`;
    case 'vote':
      return `v${m.view}:${m.voter}:${m.block.slice(0, 8)}`;
    case 'new-view':
      return `n${m.view}:${m.sender}:${m.highQC.view}`;
    case 'fetch':
      return `f${m.hash.slice(0, 8)}`;
    case 'tx':
      return `x${m.tx}`;
  }
}
