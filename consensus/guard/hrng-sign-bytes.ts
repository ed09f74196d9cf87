/**
 * The project's own sign-bytes format, `hrng-sign/v1`: bytes that state their own position, so the
 * signing guard reads height, round and step from what is signed, never from the caller (the tmkms /
 * Web3Signer rule). `hrng sign` and the simulation harness sign in this format; CometBFT's canonical
 * vote/proposal encoding has its own decoder.
 *
 * Layout (all integers big-endian):
 *
 * | bytes | field |
 * | --- | --- |
 * | 13 | magic: ASCII `hrng-sign/v1` then 0x00 |
 * | 1 | chain id length L, 1..64 |
 * | L | chain id, UTF-8, printable ASCII only (0x21..0x7e) |
 * | 8 | height, < 2^53 |
 * | 4 | round |
 * | 1 | step, 1..255 (the meaning of steps is the protocol's; the guard orders by number) |
 * | rest | body, 0 or more bytes: what the protocol signs at that position |
 *
 * Not supported: heights of 2^53 and above (JavaScript numbers; a block a second never gets there), chain
 * ids outside printable ASCII. A malformed encoding decodes to `undefined`, so a guard refuses it.
 */
import { ConsensusError } from '../errors.js';
import type { Hrs } from './hrs.js';

export const HRNG_SIGN_BYTES_FORMAT = 'hrng-sign/v1';
const MAGIC = new TextEncoder().encode(`${HRNG_SIGN_BYTES_FORMAT}\0`);
const MAX_CHAIN_ID = 64;
const FIXED = MAGIC.length + 1 + 8 + 4 + 1;

/** What an `hrng-sign/v1` message says about itself. */
export interface HrngSignBytes {
  readonly chainId: string;
  readonly hrs: Hrs;
  readonly body: Uint8Array;
}

const CHAIN_ID = /^[\x21-\x7e]{1,64}$/;

/** Encodes a message; ConsensusError('CONSENSUS_INVALID_ARGUMENT') for a position or chain id out of range. */
export function encodeHrngSignBytes(message: HrngSignBytes): Uint8Array {
  const { chainId, hrs, body } = message;
  const bad = (why: string): never => {
    throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', `hrng-sign/v1: ${why}`);
  };
  if (typeof chainId !== 'string' || !CHAIN_ID.test(chainId)) bad(`chain id must be 1..${MAX_CHAIN_ID} printable ASCII characters`);
  if (!Number.isSafeInteger(hrs.height) || hrs.height < 0) bad(`height must be an integer within 0..2^53-1, got ${String(hrs.height)}`);
  if (!Number.isSafeInteger(hrs.round) || hrs.round < 0 || hrs.round > 0xffffffff)
    bad(`round must be an integer within 0..2^32-1, got ${String(hrs.round)}`);
  if (!Number.isSafeInteger(hrs.step) || hrs.step < 1 || hrs.step > 255)
    bad(`step must be an integer within 1..255, got ${String(hrs.step)}`);
  if (!(body instanceof Uint8Array)) bad('body must be a Uint8Array');
  const out = new Uint8Array(FIXED + chainId.length + body.length);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  let at = MAGIC.length;
  out[at++] = chainId.length;
  for (let i = 0; i < chainId.length; i++) out[at++] = chainId.charCodeAt(i);
  view.setUint32(at, Math.floor(hrs.height / 2 ** 32));
  view.setUint32(at + 4, hrs.height >>> 0);
  at += 8;
  view.setUint32(at, hrs.round);
  at += 4;
  out[at++] = hrs.step;
  out.set(body, at);
  return out;
}

/** Decodes a message, or `undefined` when `bytes` is not a well-formed `hrng-sign/v1` message. */
export function decodeHrngSignBytes(bytes: Uint8Array): HrngSignBytes | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length < FIXED + 1) return undefined;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return undefined;
  let at = MAGIC.length;
  const length = bytes[at++] ?? 0;
  if (length < 1 || length > MAX_CHAIN_ID || bytes.length < FIXED + length) return undefined;
  let chainId = '';
  for (let i = 0; i < length; i++) {
    const c = bytes[at++] ?? 0;
    if (c < 0x21 || c > 0x7e) return undefined;
    chainId += String.fromCharCode(c);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const high = view.getUint32(at);
  if (high >= 2 ** 21) return undefined;
  const height = high * 2 ** 32 + view.getUint32(at + 4);
  at += 8;
  const round = view.getUint32(at);
  at += 4;
  const step = bytes[at++] ?? 0;
  if (step < 1) return undefined;
  return { chainId, hrs: { height, round, step }, body: bytes.slice(at) };
}
