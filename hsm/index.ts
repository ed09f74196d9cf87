/**
 * hardened-rng/hsm: PKCS#11 tokens (HSMs, TPMs through tpm2-pkcs11) as an entropy source, as the home of
 * validator signing keys, and for wrapping key material. See docs/hsm.md.
 */
export { HsmError, HSM_ERROR_CODES } from './errors.js';
export type { HsmErrorCode, Pkcs11Failure } from './errors.js';
export { parsePinSource, describePinSource, envPinTaken } from './pin.js';
export type { PinSource } from './pin.js';
export type { Pkcs11Lib, Pkcs11Handle, Pkcs11Template, Pkcs11Mechanism } from './library.js';
export type { TokenInfo } from './token.js';
export { Pkcs11Hsm } from './pkcs11-hsm.js';
export type { Pkcs11HsmOptions, SessionContext } from './pkcs11-hsm.js';
export { Pkcs11EntropySource, DEFAULT_PKCS11_CREDIT_BITS_PER_BYTE } from './entropy-source.js';
export type { Pkcs11EntropySourceOptions } from './entropy-source.js';
export { HsmSigningKey } from './signing-key.js';
export type { HsmSignatureScheme } from './signing-key.js';
export {
  chooseScheme,
  deleteObjects,
  findSigningKey,
  generateSigningKey,
  listObjects,
  tokenSupportsEd25519,
  tokenSupportsP256,
} from './keys.js';
export type { GenerateSigningKeyOptions, GeneratedSigningKey, HsmObjectInfo, HsmObjectKind, KeySelector, SchemeChoice } from './keys.js';
export type { Protection, ProtectionReport, ProtectionState } from './key-policy.js';
export { HsmAesKey, generateAesKey, findAesKey } from './wrapping.js';
export type { AesKeyPurpose, GcmSealed, WrapOptions, GenerateAesKeyOptions } from './wrapping.js';
export { HsmHmacKey } from './hmac-key.js';
export type { GenerateHmacKeyOptions } from './hmac-key.js';
export { GCM_INVOCATION_LIMIT } from './gcm-budget.js';
export { inventory } from './inventory.js';
export type { LibraryInventory, TokenInventory } from './inventory.js';
