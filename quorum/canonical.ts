/**
 * What is signed: "hrng/quorum/v1/" ‖ type ‖ 0x00 ‖ canonical JSON of the body (keys sorted at every level,
 * no whitespace; values are strings, safe integers, booleans, arrays and objects only). A signature over
 * one message type can never be replayed as another (the type is in the domain), and a re-serialisation
 * of the same JSON by another implementation signs the same bytes.
 */
import { QuorumError } from './errors.js';

export type Json = string | number | boolean | null | readonly Json[] | { readonly [k: string]: Json };

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new QuorumError('QUORUM_MALFORMED_MESSAGE', `a signed number must be a safe integer, got ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new QuorumError('QUORUM_MALFORMED_MESSAGE', `a signed value cannot be a ${typeof value}`);
}

const encoder = new TextEncoder();

export function signBytes(type: string, body: unknown): Uint8Array {
  return encoder.encode(`hrng/quorum/v1/${type}\u0000${canonicalJson(body)}`);
}
