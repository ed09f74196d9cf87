/**
 * The one assertion module: argument checks shared by every layer.
 *
 * Each layer binds the checks to its own `<LAYER>_INVALID_ARGUMENT` error once
 * (`const check = assertionsFor((m) => new HsmError('HSM_INVALID_ARGUMENT', m))`); `crypto/` uses `assert`
 * below. Messages name the parameter and the rule, and show a value only when it cannot be secret: for
 * bytes only the type and length, never a byte; for numbers the number.
 */
import { CryptoError, type HardenedRngError } from './errors.js';
import { HASH_NAMES, isHashName, type HashName } from './hash.js';

/** Builds the layer's invalid-argument error from a message. */
export type InvalidArgument = (message: string) => HardenedRngError;

export interface BytesRule {
  /** Exactly this many bytes. */
  readonly length?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
}

export interface IntegerRule {
  readonly min?: number;
  readonly max?: number;
}

export interface StringRule {
  readonly minLength?: number;
  readonly maxLength?: number;
  /** The whole string must match. */
  readonly pattern?: RegExp;
}

export interface Assertions {
  /** A Uint8Array (a Buffer is one) within the rule; returned as given, not copied. */
  bytes(value: unknown, name: string, rule?: BytesRule): Uint8Array;
  /** A safe integer within [min, max] (default [0, MAX_SAFE_INTEGER]). */
  integer(value: unknown, name: string, rule?: IntegerRule): number;
  /** A finite number within [min, max]. */
  number(value: unknown, name: string, rule?: IntegerRule): number;
  string(value: unknown, name: string, rule?: StringRule): string;
  boolean(value: unknown, name: string): boolean;
  /** One of the listed strings. */
  oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T;
  hashName(value: unknown, name?: string): HashName;
  /** Lower- or upper-case hex, even length (optionally exactly `bytes` bytes), decoded. */
  hex(value: unknown, name: string, rule?: { readonly bytes?: number }): Uint8Array;
  /** A plain object (not null, not an array). */
  record(value: unknown, name: string): Readonly<Record<string, unknown>>;
}

/** What a value is, for a message, without revealing its content. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return `string(${value.length})`;
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

export function assertionsFor(invalid: InvalidArgument): Assertions {
  const fail = (message: string): never => {
    throw invalid(message);
  };
  const integer = (value: unknown, name: string, rule: IntegerRule = {}): number => {
    const min = rule.min ?? 0;
    const max = rule.max ?? Number.MAX_SAFE_INTEGER;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return fail(`${name} must be an integer, got ${describe(value)}`);
    if (value < min || value > max) return fail(`${name} must be within ${min}..${max}, got ${value}`);
    return value;
  };
  return {
    bytes(value, name, rule = {}) {
      if (!(value instanceof Uint8Array)) return fail(`${name} must be a Uint8Array, got ${describe(value)}`);
      if (rule.length !== undefined && value.length !== rule.length)
        return fail(`${name} must be ${rule.length} bytes, got ${value.length}`);
      if (rule.minLength !== undefined && value.length < rule.minLength)
        return fail(`${name} must be at least ${rule.minLength} bytes, got ${value.length}`);
      if (rule.maxLength !== undefined && value.length > rule.maxLength)
        return fail(`${name} must be at most ${rule.maxLength} bytes, got ${value.length}`);
      return value;
    },
    integer,
    number(value, name, rule = {}) {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`${name} must be a finite number, got ${describe(value)}`);
      if (rule.min !== undefined && value < rule.min) return fail(`${name} must be at least ${rule.min}, got ${value}`);
      if (rule.max !== undefined && value > rule.max) return fail(`${name} must be at most ${rule.max}, got ${value}`);
      return value;
    },
    string(value, name, rule = {}) {
      if (typeof value !== 'string') return fail(`${name} must be a string, got ${describe(value)}`);
      if (rule.minLength !== undefined && value.length < rule.minLength)
        return fail(`${name} must have at least ${rule.minLength} characters, got ${value.length}`);
      if (rule.maxLength !== undefined && value.length > rule.maxLength)
        return fail(`${name} must have at most ${rule.maxLength} characters, got ${value.length}`);
      if (rule.pattern !== undefined && !new RegExp(`^(?:${rule.pattern.source})$`, rule.pattern.flags.replace('g', '')).test(value)) {
        return fail(`${name} must match ${rule.pattern.source}`);
      }
      return value;
    },
    boolean(value, name) {
      if (typeof value !== 'boolean') return fail(`${name} must be true or false, got ${describe(value)}`);
      return value;
    },
    oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
      if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
        return fail(
          `${name} must be one of ${allowed.join(', ')}, got ${typeof value === 'string' && value.length <= 32 ? `'${value}'` : describe(value)}`,
        );
      }
      return value as T;
    },
    hashName(value, name = 'hash') {
      if (!isHashName(value))
        return fail(
          `${name} must be one of ${HASH_NAMES.join(', ')}, got ${typeof value === 'string' && value.length <= 32 ? `'${value}'` : describe(value)}`,
        );
      return value;
    },
    hex(value, name, rule = {}) {
      if (typeof value !== 'string' || !HEX.test(value)) return fail(`${name} must be an even-length hex string`);
      if (rule.bytes !== undefined && value.length !== rule.bytes * 2)
        return fail(`${name} must be ${rule.bytes} bytes of hex, got ${value.length / 2}`);
      return Uint8Array.from(Buffer.from(value, 'hex'));
    },
    record(value, name) {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return fail(`${name} must be an object, got ${describe(value)}`);
      return value as Readonly<Record<string, unknown>>;
    },
  };
}

/** The `crypto/` layer's checks: failures are `CryptoError('CRYPTO_INVALID_ARGUMENT')`. */
export const assert: Assertions = assertionsFor((message) => new CryptoError('CRYPTO_INVALID_ARGUMENT', message));
