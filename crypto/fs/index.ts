/** Crash-safe file writes shared by the keystore, the guard and the CLI (errors: CryptoError FS_EXISTS, FS_WRITE_FAILED). */
export { writeFileAtomic, isAtomicTempName, fsyncDir } from './atomic-file.js';
export type { AtomicWriteHooks, AtomicWriteOptions, AtomicWritePoint } from './atomic-file.js';
export { fileAccess } from './file-access.js';
export type { FileAccess } from './file-access.js';
/** An OS advisory lock on an open file (OFD, else flock) through the native helper; `available: false` says why when it is not built. */
export { fileLocker, unavailableFileLocker } from '../native/file-lock.js';
export type { FileLocker, FileLockAttempt, FileLockMechanism } from '../native/file-lock.js';
