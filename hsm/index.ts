/**
 * hardened-rng/hsm: PKCS#11 tokens (HSMs, TPMs through tpm2-pkcs11) as an entropy source, as the home of
 * validator signing keys, and for wrapping key material. See docs/hsm.md.
 */
export * from './constants.js';
export { HsmError, hsmErrorFrom, asPkcs11Failure } from './errors.js';
export type { HsmErrorCode, Pkcs11Failure } from './errors.js';
export { parsePinSource, readPin, describePinSource } from './pin.js';
export type { PinSource } from './pin.js';
export { padTokenLabel, trimTokenLabel, TOKEN_LABEL_BYTES } from './label.js';
export { ED25519_EC_PARAMS, P256_EC_PARAMS, unwrapOctetString, ecPointFromAttribute } from './der.js';
export { loadedLibraries } from './library.js';
export type { Pkcs11Lib, Pkcs11Handle, Pkcs11Template, Pkcs11Mechanism } from './library.js';
export type { TokenInfo } from './token.js';
export { Pkcs11Hsm } from './pkcs11-hsm.js';
export type { Pkcs11HsmOptions, SessionContext } from './pkcs11-hsm.js';
export {
  Pkcs11EntropySource,
  DEFAULT_PKCS11_CREDIT_BITS_PER_BYTE,
  DEFAULT_PKCS11_CHUNK_BYTES,
  MAX_PKCS11_READ_BYTES,
} from './entropy-source.js';
export type { Pkcs11EntropySourceOptions } from './entropy-source.js';
export { HsmSigningKey, normalizeLowS } from './signing-key.js';
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
export type { GenerateSigningKeyOptions, HsmObjectInfo, HsmObjectKind, KeySelector, SchemeChoice } from './keys.js';
export { OBJECT_ID_PREFIX, isProjectObjectId } from './objects.js';
export { HsmAesKey, generateAesKey, findAesKey, GCM_IV_BYTES, GCM_TAG_BYTES } from './wrapping.js';
export type { AesKeyPurpose, GcmSealed, WrapOptions, GenerateAesKeyOptions } from './wrapping.js';
export { inventory } from './inventory.js';
export type { LibraryInventory, TokenInventory } from './inventory.js';
