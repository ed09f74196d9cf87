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

function u64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint32(0, Math.floor(n / 2 ** 32));
  v.setUint32(4, n >>> 0);
  return b;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** SHA-256 over the block's fields (the QC by view and block; its votes are checked, not hashed). */
export function blockHash(b: Omit<Block, 'hash'>): string {
  const txs = enc.encode(b.txs.join('\n'));
  return bytesToHex(
    sha256(
      concat([
        u64(b.view),
        u64(b.height),
        hexToBytes(b.parent),
        u64(b.justify.view),
        hexToBytes(b.justify.block),
        u64(b.proposer + 1),
        u64(txs.length),
        txs,
        b.nonce,
      ]),
    ),
  );
}

export function proposalSignBytes(chainId: string, view: number, hash: string, nonce: Uint8Array): Uint8Array {
  return encodeHrngSignBytes({ chainId, hrs: { height: view, round: 0, step: STEP_PROPOSAL }, body: concat([hexToBytes(hash), nonce]) });
}

export function voteSignBytes(chainId: string, view: number, hash: string, nonce: Uint8Array): Uint8Array {
  return encodeHrngSignBytes({ chainId, hrs: { height: view, round: 0, step: STEP_VOTE }, body: concat([hexToBytes(hash), nonce]) });
}

export function newViewSignBytes(chainId: string, leaving: number, highQC: QC, nonce: Uint8Array): Uint8Array {
  return encodeHrngSignBytes({
    chainId,
    hrs: { height: leaving, round: 0, step: STEP_NEW_VIEW },
    body: concat([u64(highQC.view), hexToBytes(highQC.block), nonce]),
  });
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
