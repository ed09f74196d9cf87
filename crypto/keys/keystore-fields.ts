/**
 * Reading a keystore's JSON field by field: every way a file can be wrong maps to one typed error
 * (KEYSTORE_TRUNCATED, KEYSTORE_MALFORMED), and the message names the field, never its value.
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import { CryptoError } from '../errors.js';

export type JsonObject = Record<string, unknown>;

export function malformed(what: string): CryptoError {
  return new CryptoError('KEYSTORE_MALFORMED', `malformed keystore: ${what}`);
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function field(o: JsonObject, key: string, where: string): unknown {
  if (!Object.hasOwn(o, key)) throw malformed(`missing ${where}${key}`);
  return o[key];
}

export function str(o: JsonObject, key: string, where = ''): string {
  const v = field(o, key, where);
  if (typeof v !== 'string') throw malformed(`${where}${key} must be a string`);
  return v;
}

export function obj(o: JsonObject, key: string, where = ''): JsonObject {
  const v = field(o, key, where);
  if (!isObject(v)) throw malformed(`${where}${key} must be an object`);
  return v;
}

export function num(o: JsonObject, key: string, where: string): number {
  const v = field(o, key, where);
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw malformed(`${where}${key} must be an integer`);
  return v;
}

export function hex(o: JsonObject, key: string, where: string, length?: number): Uint8Array {
  const s = str(o, key, where);
  if (!/^(?:[0-9a-f]{2})*$/.test(s)) throw malformed(`${where}${key} must be lowercase hex`);
  const b = hexToBytes(s);
  if (length !== undefined && b.length !== length) throw malformed(`${where}${key} must be ${length} bytes`);
  return b;
}

/**
 * Refuses any field outside `allowed` (version 2 is strict: a field the AAD does not cover must not
 * exist, or a reader could be shown something no one authenticated).
 */
export function onlyFields(o: JsonObject, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) throw malformed(`unexpected field ${where}${key.length <= 32 ? key : `(${key.length} characters)`}`);
  }
}

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 reports where parsing stopped; stopping at the very end means the text ends too early.
    const msg = err instanceof Error ? err.message : '';
    const at = /at position (\d+)/.exec(msg);
    if (text.trim() === '' || msg.includes('end of JSON input') || (at !== null && Number(at[1]) >= text.length)) {
      throw new CryptoError('KEYSTORE_TRUNCATED', 'keystore file is truncated (its JSON ends early)');
    }
    throw malformed('not valid JSON');
  }
}
