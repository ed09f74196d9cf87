/**
 * What a PKCS#11 library offers, without logging in (PKCS#11 v3.0 §5.4 C_GetInfo, §5.5 C_GetSlotList,
 * C_GetTokenInfo, C_GetMechanismList): for `hrng hsm info` and for an operator checking a vendor module
 * before pointing a validator at it.
 */
import {
  CKM_AES_GCM,
  CKM_AES_KEY_WRAP,
  CKM_AES_KEY_WRAP_KWP,
  CKM_EC_EDWARDS_KEY_PAIR_GEN,
  CKM_EC_KEY_PAIR_GEN,
  CKM_ECDSA,
  CKM_ECDSA_SHA256,
  CKM_EDDSA,
  MECHANISMS_OF_INTEREST,
} from './constants.js';
import { acquireLibrary, releaseLibrary } from './library.js';
import { mechanismList, readTokenInfo, slotsWithTokens, type TokenInfo } from './token.js';

export interface TokenInventory extends TokenInfo {
  /** Names of the mechanisms in MECHANISMS_OF_INTEREST the token lists. */
  readonly mechanisms: readonly string[];
  /** The signing scheme keygen would pick: Ed25519, the ECDSA P-256 fallback, or none. */
  readonly signing: 'ed25519' | 'ecdsa-p256' | 'none';
  readonly aesGcm: boolean;
  /** Which AES key wraps the token can do: RFC 3394 and/or RFC 5649 (CKM_AES_KEY_WRAP_KWP). */
  readonly keyWrap: readonly ('rfc3394' | 'rfc5649')[];
}

export interface LibraryInventory {
  readonly library: string;
  readonly manufacturer: string;
  readonly description: string;
  readonly tokens: readonly TokenInventory[];
}

export function inventory(libraryPath: string): LibraryInventory {
  const loaded = acquireLibrary(libraryPath);
  try {
    const tokens = slotsWithTokens(loaded.lib).map((slot): TokenInventory => {
      const info = readTokenInfo(loaded.lib, slot);
      const mechs = mechanismList(loaded.lib, slot);
      const ed = mechs.has(CKM_EC_EDWARDS_KEY_PAIR_GEN) && mechs.has(CKM_EDDSA);
      const p256 = mechs.has(CKM_EC_KEY_PAIR_GEN) && (mechs.has(CKM_ECDSA) || mechs.has(CKM_ECDSA_SHA256));
      return {
        ...info,
        mechanisms: MECHANISMS_OF_INTEREST.filter(([m]) => mechs.has(m)).map(([, name]) => name),
        signing: ed ? 'ed25519' : p256 ? 'ecdsa-p256' : 'none',
        aesGcm: mechs.has(CKM_AES_GCM),
        keyWrap: [
          ...(mechs.has(CKM_AES_KEY_WRAP) ? ['rfc3394' as const] : []),
          ...(mechs.has(CKM_AES_KEY_WRAP_KWP) ? ['rfc5649' as const] : []),
        ],
      };
    });
    return { library: loaded.path, manufacturer: loaded.manufacturer, description: loaded.description, tokens };
  } finally {
    releaseLibrary(loaded);
  }
}
