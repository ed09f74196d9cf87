/**
 * One key's signing history as the guard keeps it (the state of tmkms's `state_file`, EIP-3076's
 * per-key record): the highest height/round/step ever allowed, the SHA-256 of the payload allowed there,
 * and the signature once it exists. `payloadHash: null` means "something was signed here, payload
 * unknown" (from a conflicting import): every request at that height/round/step is refused.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { GuardArgumentError, GuardStateCorruptError } from './guard-errors.js';
import { assertHrs, type Hrs } from './hrs.js';

export interface SignedState extends Hrs {
  readonly keyId: string;
  readonly payloadHash: Uint8Array | null;
  /** Null between the write-ahead intent and the signature's record. */
  readonly signature: Uint8Array | null;
}

export const STATE_VERSION = 1;
const KEY_ID = /^[0-9A-Za-z_-]{1,128}$/;

export function assertKeyId(keyId: string): string {
  if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) throw new GuardArgumentError('key id must be 1–128 characters of [0-9A-Za-z_-]');
  return keyId;
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
  if (typeof v !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(v)) throw new GuardStateCorruptError(path, `${what} is not hex`);
  const b = hexToBytes(v);
  if (length !== undefined && b.length !== length) throw new GuardStateCorruptError(path, `${what} has the wrong length`);
  return b;
}

export function decodeState(text: string, path: string, expectedKeyId: string): SignedState {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    throw new GuardStateCorruptError(path, 'not JSON');
  }
  if (typeof root !== 'object' || root === null) throw new GuardStateCorruptError(path, 'not an object');
  const r = root as Record<string, unknown>;
  if (r.version !== STATE_VERSION) throw new GuardStateCorruptError(path, 'unknown version');
  if (r.keyId !== expectedKeyId) throw new GuardStateCorruptError(path, 'key id does not match the file name');
  const last = r.lastSigned as Record<string, unknown> | null | undefined;
  if (typeof last !== 'object' || last === null) throw new GuardStateCorruptError(path, 'lastSigned missing');
  let hrs: Hrs;
  try {
    hrs = assertHrs(last as unknown as Hrs);
  } catch {
    throw new GuardStateCorruptError(path, 'height/round/step invalid');
  }
  const payloadHash = hexOrNull(last.payloadHash, path, 'payloadHash', 32);
  const signature = hexOrNull(last.signature, path, 'signature');
  if (payloadHash === null && signature !== null) throw new GuardStateCorruptError(path, 'signature without payload hash');
  return { keyId: expectedKeyId, ...hrs, payloadHash, signature };
}
