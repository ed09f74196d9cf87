/**
 * Destroying objects this process just created and will not hand out (their read-back checks failed),
 * PKCS#11 v3.0 §5.7 C_DestroyObject, with an error that says truthfully whether that worked.
 */
import { toHex } from './bytes.js';
import { HsmError } from './errors.js';
import type { Pkcs11Handle } from './library.js';
import type { Pkcs11Hsm } from './pkcs11-hsm.js';

/** Destroys the objects; returns whether all are gone. */
export function destroyCreated(hsm: Pkcs11Hsm, handles: readonly Pkcs11Handle[]): boolean {
  let all = true;
  for (const handle of handles) {
    try {
      hsm.run('C_DestroyObject', ({ lib, session }) => lib.C_DestroyObject(session, handle));
    } catch {
      all = false;
    }
  }
  return all;
}

/**
 * The error for a key generated on the token that failed its checks: the key is destroyed, and the
 * message says whether that worked (if not, with the CKA_ID to delete by hand). `err` stays the cause.
 */
export function discardGenerated(hsm: Pkcs11Hsm, handles: readonly Pkcs11Handle[], id: Uint8Array, err: unknown): HsmError {
  const destroyed = destroyCreated(hsm, handles);
  const reason = err instanceof Error ? err.message : 'check failed';
  const fate = destroyed
    ? 'the key was destroyed'
    : `destroying the key FAILED: delete the objects with CKA_ID ${toHex(id)} by hand before trusting this token`;
  const message = `token '${hsm.tokenLabel}': ${reason}; ${fate}`;
  return err instanceof HsmError ? HsmError.from(err, err.code, message) : new HsmError('HSM_OPERATION_FAILED', message, { cause: err });
}
