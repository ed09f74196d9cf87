export type { Signer, Verifier, SignatureScheme } from './signer.js';
export { keyIdOf } from './key-id.js';
export type { SchemeImpl, SoftwareScheme } from './schemes.js';
export { SOFTWARE_SCHEMES, isSoftwareScheme, schemeImpl } from './schemes.js';
export type { KeyRecord } from './key-record.js';
export type { GenerateKeyOptions } from './generate.js';
export { generateKey, publicKeyFromSeed } from './generate.js';
export { SoftwareSigner } from './software-signer.js';
export type { SoftwareSignerOptions } from './software-signer.js';
export { PublicKeyVerifier } from './verifier.js';
export type { KdfParams, KdfCheckOptions } from './keystore-kdf.js';
export { DEFAULT_KDF, ARGON2ID_RECOMMENDED, KDF_LIMITS, checkKdfParams } from './keystore-kdf.js';
export type {
  KeystoreJson,
  KeystoreJsonV1,
  KeystoreJsonV2,
  KeystoreSummary,
  EncryptKeystoreOptions,
  DecryptKeystoreOptions,
  WriteKeystoreOptions,
  UpgradeKeystoreOptions,
  UpgradeOutcome,
} from './keystore.js';
export {
  encryptKeystore,
  decryptKeystore,
  inspectKeystore,
  writeKeystore,
  readKeystore,
  upgradeKeystoreFile,
  keystoreFileName,
  KEYSTORE_VERSION,
  KEYSTORE_READABLE_VERSIONS,
} from './keystore.js';
export { KeystoreKdfError } from '../errors.js';
export type { KdfParameterName } from '../errors.js';
