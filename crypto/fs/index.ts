/** Crash-safe file writes shared by the keystore, the guard and the CLI (errors: CryptoError FS_EXISTS, FS_WRITE_FAILED). */
export { writeFileAtomic, isAtomicTempName, fsyncDir } from './atomic-file.js';
export type { AtomicWriteHooks, AtomicWriteOptions, AtomicWritePoint } from './atomic-file.js';
export { fileAccess } from './file-access.js';
export type { FileAccess } from './file-access.js';
