/**
 * The Web Crypto `getRandomValues` contract (W3C Web Cryptography API §10.1.1) on top of any byte
 * generator: an integer typed array of at most 65 536 bytes is filled in place and returned. Refusals
 * are `WebCryptoError`s whose `name` is the DOMException name Web Crypto code tests for
 * (`TypeMismatchError`, code 17; `QuotaExceededError`, code 22), while `code` keeps the project's
 * stable string (RNG_TYPE_MISMATCH, RNG_QUOTA_EXCEEDED).
 */
import { WebCryptoError } from '../errors.js';

export type IntegerTypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

const INTEGER_ARRAYS: readonly (abstract new (...args: never[]) => IntegerTypedArray)[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
];

/** §10.1.1 step 2: the quota, in bytes, for one call. */
export const MAX_RANDOM_VALUES_BYTES = 65536;

function describeArgument(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}

/** Fills `array` from `randomBytes` and returns it, or throws a DOMException-shaped WebCryptoError. */
export function fillRandomValues<T extends ArrayBufferView | null>(array: T, randomBytes: (length: number) => Uint8Array): T {
  if (array === null || !INTEGER_ARRAYS.some((C) => array instanceof C)) {
    throw new WebCryptoError('RNG_TYPE_MISMATCH', `getRandomValues: expected an integer typed array, got ${describeArgument(array)}`);
  }
  const view = array as unknown as IntegerTypedArray;
  if (view.byteLength > MAX_RANDOM_VALUES_BYTES) {
    throw new WebCryptoError(
      'RNG_QUOTA_EXCEEDED',
      `getRandomValues: ${view.byteLength} bytes requested, the limit is ${MAX_RANDOM_VALUES_BYTES} per call`,
    );
  }
  const bytes = randomBytes(view.byteLength);
  new Uint8Array(view.buffer, view.byteOffset, view.byteLength).set(bytes);
  bytes.fill(0);
  return array;
}
