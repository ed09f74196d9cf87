/**
 * One key's signing history as the guard keeps it (the state of tmkms's `state_file`, EIP-3076's
 * per-key record): the highest height/round/step ever allowed, the SHA-256 of the payload allowed there,
 * and the signature once it exists. `payloadHash: null` means "something was signed here, payload
 * unknown" (from a conflicting import): every request at that height/round/step is refused.
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
  return { keyId: expectedKeyId, ...hrs, payloadHash, signature };
}

/** The same state: position, payload hash and signature (null only equals null). */
export function sameState(a: SignedState | undefined, b: SignedState | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const eq = (x: Uint8Array | null, y: Uint8Array | null): boolean =>
    x === null || y === null ? x === y : x.length === y.length && equal(x, y);
  return a.keyId === b.keyId && compareHrs(a, b) === 0 && eq(a.payloadHash, b.payloadHash) && eq(a.signature, b.signature);
}
