/**
 * What the keys this package creates on a token must state and, read back, must show (PKCS#11 v3.0
 * §4.4.1 storage objects, §4.7 keys, §4.9 private keys):
 * - every usage flag explicit (tokens fill gaps with permissive defaults: SoftHSM gives public keys
 *   encrypt and wrap);
 * - secret and private keys private, sensitive, never extractable, and since creation always so;
 * - protection against change and duplication: CKA_MODIFIABLE = false (no C_SetAttributeValue can turn
 *   a flag back on), CKA_COPYABLE = false (no C_CopyObject can make a copy with other attributes), and
 *   on request CKA_DESTROYABLE = false (no C_DestroyObject; off by default, because a key that cannot be
 *   destroyed cannot be discarded when its read-back fails nor retired at rotation).
 * A token that refuses a protection attribute in the template is reported (`ProtectionReport.refused`),
 * never silently accepted; one that accepts it but reads back something else gets its key destroyed.
 */
import {
  CKA_ALWAYS_SENSITIVE,
  CKA_COPYABLE,
  CKA_DESTROYABLE,
  CKA_EXTRACTABLE,
  CKA_MODIFIABLE,
  CKA_NEVER_EXTRACTABLE,
  CKA_PRIVATE,
  CKA_SENSITIVE,
} from './constants.js';
import { bool, readAttributes, type AttributeValues } from './attributes.js';
import { HsmError } from './errors.js';
import type { Pkcs11Handle, Pkcs11Lib } from './library.js';

/**
 * Every usage flag in `flags`, set explicitly: true for those in `granted`, false for the rest. Tokens
 * fill unstated flags with permissive defaults, so a template never leaves one out.
 */
export function usageAttributes(flags: readonly number[], granted: readonly number[]): { type: number; value: boolean }[] {
  return flags.map((type) => ({ type, value: granted.includes(type) }));
}

/** What every secret or private key we create states: behind the login, sensitive, never extractable. */
export function protectedKeyAttributes(): { type: number; value: boolean }[] {
  return [
    { type: CKA_PRIVATE, value: true },
    { type: CKA_SENSITIVE, value: true },
    { type: CKA_EXTRACTABLE, value: false },
  ];
}

/** The attributes `sensitivityProblem` reads. */
export const SENSITIVITY_ATTRIBUTES: readonly number[] = [CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE];

/**
 * Why a key read back from the token cannot be trusted to stay in it, or undefined: it must be sensitive
 * and non-extractable, and — for keys generated on the token (`sinceCreation`) — always have been so.
 */
export function sensitivityProblem(values: AttributeValues, opts: { readonly sinceCreation: boolean }): string | undefined {
  if (!bool(values, CKA_SENSITIVE)) return 'CKA_SENSITIVE is false';
  if (bool(values, CKA_EXTRACTABLE)) return 'CKA_EXTRACTABLE is true';
  if (opts.sinceCreation && !bool(values, CKA_ALWAYS_SENSITIVE)) return 'CKA_ALWAYS_SENSITIVE is false';
  if (opts.sinceCreation && !bool(values, CKA_NEVER_EXTRACTABLE)) return 'CKA_NEVER_EXTRACTABLE is false';
  return undefined;
}

export type Protection = 'modifiable' | 'copyable' | 'destroyable';

export const PROTECTION_ATTRIBUTE: Readonly<Record<Protection, number>> = {
  modifiable: CKA_MODIFIABLE,
  copyable: CKA_COPYABLE,
  destroyable: CKA_DESTROYABLE,
};

const NAMES: Readonly<Record<Protection, string>> = {
  modifiable: 'CKA_MODIFIABLE',
  copyable: 'CKA_COPYABLE',
  destroyable: 'CKA_DESTROYABLE',
};

/** The protections a key asks for: never modifiable nor copyable; indestructible only on request. */
export function requestedProtections(opts: { readonly indestructible?: boolean } = {}): readonly Protection[] {
  return opts.indestructible === true ? ['modifiable', 'copyable', 'destroyable'] : ['modifiable', 'copyable'];
}

/** `protections` as template attributes, each set to false. */
export function protectionAttributes(protections: readonly Protection[]): { type: number; value: boolean }[] {
  return protections.map((p) => ({ type: PROTECTION_ATTRIBUTE[p], value: false }));
}

/** What the token holds for each protection after generation. */
export type ProtectionState = 'enforced' | 'refused' | 'not-requested';

export interface ProtectionReport {
  readonly modifiable: ProtectionState;
  readonly copyable: ProtectionState;
  readonly destroyable: ProtectionState;
  /** The protections the token refused in the template (the key was generated without them). */
  readonly refused: readonly Protection[];
}

/**
 * The report for a key generated with `applied` (of `requested`) after reading back `values`; throws
 * HSM_KEY_INVALID when an applied protection does not read back as false (the token accepted and ignored
 * it). A refused protection is reported, not thrown: whether to keep such a key is the caller's policy.
 */
export function protectionReport(
  values: AttributeValues,
  o: { readonly requested: readonly Protection[]; readonly applied: readonly Protection[] },
): ProtectionReport {
  const state = (p: Protection): ProtectionState => {
    if (!o.requested.includes(p)) return 'not-requested';
    if (!o.applied.includes(p)) return 'refused';
    if (bool(values, PROTECTION_ATTRIBUTE[p]))
      throw new HsmError('HSM_KEY_INVALID', `${NAMES[p]} reads back true although the template set it false`);
    return 'enforced';
  };
  const report = { modifiable: state('modifiable'), copyable: state('copyable'), destroyable: state('destroyable') };
  return { ...report, refused: o.requested.filter((p) => !o.applied.includes(p)) };
}

/** Reads back the protection attributes that were applied (only those: a token may not know the others). */
export function readProtections(
  lib: Pkcs11Lib,
  session: Pkcs11Handle,
  handle: Pkcs11Handle,
  o: { readonly requested: readonly Protection[]; readonly applied: readonly Protection[] },
): ProtectionReport {
  const values =
    o.applied.length === 0
      ? new Map<number, Uint8Array>()
      : readAttributes(
          lib,
          session,
          handle,
          o.applied.map((p) => PROTECTION_ATTRIBUTE[p]),
        );
  return protectionReport(values, o);
}

/** CKRs with which tokens refuse an attribute they do not know or will not set in a template. */
export const TEMPLATE_REFUSALS: readonly string[] = [
  'CKR_ATTRIBUTE_TYPE_INVALID',
  'CKR_ATTRIBUTE_VALUE_INVALID',
  'CKR_TEMPLATE_INCONSISTENT',
];

/**
 * Runs `generate` with every requested protection; if the token refuses the template (one of
 * TEMPLATE_REFUSALS), once more with only CKA_MODIFIABLE (the v2.x attribute every token knows), and if
 * that is refused too, with none. Returns what was applied, for `protectionReport`. Other failures pass
 * through unchanged. Bounded: at most three attempts.
 */
export function generateWithProtections<T>(
  requested: readonly Protection[],
  generate: (applied: readonly Protection[]) => T,
): { result: T; applied: readonly Protection[] } {
  const attempts: (readonly Protection[])[] = [requested, requested.filter((p) => p === 'modifiable'), []];
  let last: unknown;
  for (const applied of attempts.filter((a, i) => i === 0 || a.length < (attempts[i - 1]?.length ?? 0))) {
    try {
      return { result: generate(applied), applied };
    } catch (err) {
      if (!(err instanceof HsmError) || err.ckr === undefined || !TEMPLATE_REFUSALS.includes(err.ckr)) throw err;
      last = err;
    }
  }
  throw last;
}
