/**
 * Slots and tokens as an operator sees them (PKCS#11 v3.0 §5.5: C_GetSlotList, C_GetTokenInfo,
 * C_GetMechanismList). Tokens are found by label because slot ids are not stable: SoftHSM moves an
 * initialized token to a new slot id, and hardware slots renumber when devices come and go.
 */
import {
  CKF_LOGIN_REQUIRED,
  CKF_RNG,
  CKF_TOKEN_INITIALIZED,
  CKF_USER_PIN_COUNT_LOW,
  CKF_USER_PIN_FINAL_TRY,
  CKF_USER_PIN_INITIALIZED,
  CKF_USER_PIN_LOCKED,
} from './constants.js';
import { HsmError, hsmErrorFrom } from './errors.js';
import { printableTokenString, trimTokenLabel } from './label.js';
import type { Pkcs11Handle, Pkcs11Lib } from './library.js';

export interface TokenInfo {
  readonly label: string;
  /** The slot id in hex, as pkcs11-tool prints it; informative only, it can change. */
  readonly slotId: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly hasRng: boolean;
  readonly loginRequired: boolean;
  readonly initialized: boolean;
  readonly userPinInitialized: boolean;
  readonly userPinCountLow: boolean;
  readonly userPinFinalTry: boolean;
  readonly userPinLocked: boolean;
}

export function slotIdHex(slot: Pkcs11Handle): string {
  // pkcs11js hands slot ids over as little-endian CK_ULONG bytes.
  let value = 0n;
  for (let i = slot.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(slot[i] as number);
  return '0x' + value.toString(16);
}

export function readTokenInfo(lib: Pkcs11Lib, slot: Pkcs11Handle): TokenInfo {
  let info: ReturnType<Pkcs11Lib['C_GetTokenInfo']>;
  try {
    info = lib.C_GetTokenInfo(slot);
  } catch (err) {
    throw hsmErrorFrom(err, 'C_GetTokenInfo');
  }
  const f = info.flags;
  return {
    label: printableTokenString(trimTokenLabel(info.label)),
    slotId: slotIdHex(slot),
    manufacturer: printableTokenString(info.manufacturerID),
    model: printableTokenString(info.model),
    serial: printableTokenString(info.serialNumber),
    hasRng: (f & CKF_RNG) !== 0,
    loginRequired: (f & CKF_LOGIN_REQUIRED) !== 0,
    initialized: (f & CKF_TOKEN_INITIALIZED) !== 0,
    userPinInitialized: (f & CKF_USER_PIN_INITIALIZED) !== 0,
    userPinCountLow: (f & CKF_USER_PIN_COUNT_LOW) !== 0,
    userPinFinalTry: (f & CKF_USER_PIN_FINAL_TRY) !== 0,
    userPinLocked: (f & CKF_USER_PIN_LOCKED) !== 0,
  };
}

export function slotsWithTokens(lib: Pkcs11Lib): Pkcs11Handle[] {
  try {
    return lib.C_GetSlotList(true);
  } catch (err) {
    throw hsmErrorFrom(err, 'C_GetSlotList');
  }
}

/** The one slot whose token has this label. Two tokens with one label is refused, not guessed between. */
export function findSlotByLabel(lib: Pkcs11Lib, label: string): { slot: Pkcs11Handle; info: TokenInfo } {
  const matches: { slot: Pkcs11Handle; info: TokenInfo }[] = [];
  const seen: string[] = [];
  for (const slot of slotsWithTokens(lib)) {
    const info = readTokenInfo(lib, slot);
    if (info.initialized) seen.push(info.label);
    if (info.label === label) matches.push({ slot, info });
  }
  const [only, second] = matches;
  if (only === undefined) {
    const list = seen.length === 0 ? 'no initialized tokens' : `tokens: ${seen.map((l) => `'${l}'`).join(', ')}`;
    throw new HsmError('HSM_TOKEN_NOT_FOUND', `no token labelled '${label}' (${list})`);
  }
  if (second !== undefined) {
    throw new HsmError('HSM_TOKEN_NOT_FOUND', `${matches.length} tokens are labelled '${label}'; relabel one so the choice is not a guess`);
  }
  return only;
}

export function mechanismList(lib: Pkcs11Lib, slot: Pkcs11Handle): ReadonlySet<number> {
  try {
    return new Set(lib.C_GetMechanismList(slot));
  } catch (err) {
    throw hsmErrorFrom(err, 'C_GetMechanismList');
  }
}
