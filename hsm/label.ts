/**
 * Token labels (PKCS#11 v3.0 §3.2, CK_TOKEN_INFO.label): 32 bytes of UTF-8, padded with spaces, not
 * NUL-terminated. C_InitToken takes the padded form; C_GetTokenInfo returns it; people type the trimmed one.
 */
import { HsmError, check } from './errors.js';

export const TOKEN_LABEL_BYTES = 32;

export function padTokenLabel(label: string): Uint8Array {
  const bytes = new TextEncoder().encode(label);
  if (bytes.length === 0) throw new HsmError('HSM_INVALID_ARGUMENT', 'token label is empty');
  if (bytes.length > TOKEN_LABEL_BYTES) {
    throw new HsmError('HSM_INVALID_ARGUMENT', `token label is ${bytes.length} bytes of UTF-8; at most ${TOKEN_LABEL_BYTES}`);
  }
  const out = new Uint8Array(TOKEN_LABEL_BYTES).fill(0x20);
  out.set(bytes);
  return out;
}

/** The label as people write it: trailing space padding (and the NULs some libraries use) removed. */
export function trimTokenLabel(raw: string): string {
  return raw.replace(/[ \0]+$/u, '');
}

/**
 * A CK_INFO / CK_TOKEN_INFO string (manufacturerID, model, serialNumber, libraryDescription) fit to
 * print: fixed-width fields are padded with spaces by the standard and with NULs by some libraries, and
 * nothing stops a module from putting other control characters there. Those are removed (a terminal
 * would act on them), and the padding trimmed.
 */
export function printableTokenString(raw: string): string {
  return raw.replace(/[\u0000-\u001f\u007f-\u009f]/gu, '').trim();
}

/** Object labels (CKA_LABEL) are free length, but a label we create must be printable and not empty. */
export function checkObjectLabel(label: string): string {
  return check.string(label, 'object label (1–128 printable characters)', {
    minLength: 1,
    maxLength: 128,
    pattern: /[^\u0000-\u001f\u007f]*/u,
  });
}
