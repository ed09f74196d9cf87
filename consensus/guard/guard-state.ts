/**
 * One key's signing history as the guard keeps it (the state of tmkms's `state_file`, EIP-3076's
 * per-key record): the highest height/round/step ever allowed, the SHA-256 of the payload allowed there,
 * and the signature once it exists. `payloadHash: null` means "something was signed here, payload
 * unknown" (from a conflicting import): every request at that height/round/step is refused.
 *
 * `timestamp`: the encoded time carried by the bytes signed there, for formats that have one (CometBFT),
 * so that the same vote asked again with only a later time gets the stored signature back (decide-sign.ts).
 * Absent in states written before it was kept, in imports without sign bytes and for hrng-sign/v1: then
 * only identical bytes are re-signed. Stored inside version 1 as an optional field, so older files open.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { ct } from '../../crypto/index.js';
import equal = ct.equal;
import { ConsensusError } from '../errors.js';
import { check } from './guard-check.js';
import { assertHrs, compareHrs, type Hrs } from './hrs.js';

const corrupt = (path: string, why: string): ConsensusError =>
  new ConsensusError('GUARD_STATE_CORRUPT', `guard state ${path} is unreadable (${why}); refusing to sign until it is repaired`);

export interface SignedState extends Hrs {
  readonly keyId: string;
  readonly payloadHash: Uint8Array | null;
  /** Null between the write-ahead intent and the signature's record. */
  readonly signature: Uint8Array | null;
  /** The format's encoding of the signed bytes' time; absent when unknown or the format has none. */
  readonly timestamp?: Uint8Array;
}

export const STATE_VERSION = 1;
const KEY_ID = /[0-9A-Za-z_-]{1,128}/;

export function assertKeyId(keyId: string): string {
  return check.string(keyId, 'key id', { pattern: KEY_ID });
}

export function encodeState(s: SignedState): Uint8Array {
  const json = {
    version: STATE_VERSION,
    keyId: s.keyId,
    lastSigned: {
      height: s.height,
      round: s.round,
      step: s.step,
      payloadHash: s.payloadHash === null ? null : bytesToHex(s.payloadHash),
      signature: s.signature === null ? null : bytesToHex(s.signature),
      ...(s.timestamp !== undefined && s.payloadHash !== null ? { timestamp: bytesToHex(s.timestamp) } : {}),
    },
  };
  return new TextEncoder().encode(JSON.stringify(json) + '\n');
}

function hexOrNull(v: unknown, path: string, what: string, length?: number): Uint8Array | null {
  if (v === null) return null;
  if (typeof v !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(v)) throw corrupt(path, `${what} is not hex`);
  const b = hexToBytes(v);
  if (length !== undefined && b.length !== length) throw corrupt(path, `${what} has the wrong length`);
  return b;
}

export function decodeState(text: string, path: string, expectedKeyId: string): SignedState {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    throw corrupt(path, 'not JSON');
  }
  if (typeof root !== 'object' || root === null) throw corrupt(path, 'not an object');
  const r = root as Record<string, unknown>;
  if (r.version !== STATE_VERSION) throw corrupt(path, 'unknown version');
  if (r.keyId !== expectedKeyId) throw corrupt(path, 'key id does not match the file name');
  const last = r.lastSigned as Record<string, unknown> | null | undefined;
  if (typeof last !== 'object' || last === null) throw corrupt(path, 'lastSigned missing');
  let hrs: Hrs;
  try {
    hrs = assertHrs(last as unknown as Hrs);
  } catch {
    throw corrupt(path, 'height/round/step invalid');
  }
  const payloadHash = hexOrNull(last.payloadHash, path, 'payloadHash', 32);
  const signature = hexOrNull(last.signature, path, 'signature');
  if (payloadHash === null && signature !== null) throw corrupt(path, 'signature without payload hash');
  // Absent in files written before timestamps were kept: unknown, so only identical bytes re-sign.
  const timestamp = last.timestamp === undefined ? null : hexOrNull(last.timestamp, path, 'timestamp');
  if (timestamp !== null && (timestamp.length > 64 || payloadHash === null)) throw corrupt(path, 'timestamp invalid');
  return { keyId: expectedKeyId, ...hrs, payloadHash, signature, ...(timestamp !== null ? { timestamp } : {}) };
}

/** The same state: position, payload hash, signature and timestamp (null only equals null, absent only absent). */
export function sameState(a: SignedState | undefined, b: SignedState | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const eq = (x: Uint8Array | null, y: Uint8Array | null): boolean =>
    x === null || y === null ? x === y : x.length === y.length && equal(x, y);
  return (
    a.keyId === b.keyId &&
    compareHrs(a, b) === 0 &&
    eq(a.payloadHash, b.payloadHash) &&
    eq(a.signature, b.signature) &&
    eq(a.timestamp ?? null, b.timestamp ?? null)
  );
}
