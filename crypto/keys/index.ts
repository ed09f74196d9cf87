export type { Signer, Verifier, SignatureScheme } from './signer.js';
export { keyIdOf } from './key-id.js';
export type { SoftwareScheme } from './schemes.js';
export { SOFTWARE_SCHEMES, isSoftwareScheme } from './schemes.js';
export type { KeyRecord } from './key-record.js';
export type { GenerateKeyOptions } from './generate.js';
export { generateKey, publicKeyFromSeed } from './generate.js';
export { SoftwareSigner } from './software-signer.js';
export type { SoftwareSignerOptions } from './software-signer.js';
export { PublicKeyVerifier } from './verifier.js';
export { UnsupportedSchemeError, KeyArgumentError, KeyMismatchError } from './key-errors.js';
export type { KdfParams } from './keystore-kdf.js';
export { DEFAULT_KDF, ARGON2ID_RECOMMENDED } from './keystore-kdf.js';
export type { KeystoreJson, KeystoreSummary, EncryptKeystoreOptions, DecryptKeystoreOptions, WriteKeystoreOptions } from './keystore.js';
export { encryptKeystore, decryptKeystore, inspectKeystore, writeKeystore, readKeystore, keystoreFileName, KEYSTORE_VERSION } from './keystore.js';
export type { KeystoreErrorCode } from './keystore-errors.js';
export {
  KeystoreError,
  KeystoreWrongPassphraseError,
  KeystoreInvalidPassphraseError,
  KeystoreTamperedError,
  KeystoreTruncatedError,
  KeystoreMalformedError,
  KeystoreUnsupportedVersionError,
  KeystoreUnsupportedKdfError,
} from './keystore-errors.js';
// Thrown by writeKeystore (FS_EXISTS, FS_WRITE_FAILED). The atomic-write helpers themselves are internal:
// the guard and the CLI import crypto/fs/index.js by path.
export { AtomicWriteError } from '../fs/index.js';
