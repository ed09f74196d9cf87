/**
 * Byte helpers for values crossing the pkcs11js boundary, which takes and returns Node Buffers: views for
 * passing ours in without a copy, owned copies for what comes back (never a Buffer view into memory the
 * library or a caller still holds), and zeroing of the library's buffers once copied.
 */

/**
 * A copy in a plain Uint8Array of its own. Not `bytes.slice()`: on a Buffer (what pkcs11js returns, and
 * what many callers pass in) `slice` is a view that shares the caller's memory, and it returns a Buffer.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/**
 * A copy as a plain Uint8Array, with the library's Buffer zeroed: values read back from a token (random
 * bytes, an unwrapped secret) should not linger in memory pkcs11js allocated.
 */
export function copyAndZero(buffer: Buffer): Uint8Array {
  const copy = new Uint8Array(buffer);
  buffer.fill(0);
  return copy;
}

/** A Buffer view for pkcs11js, which takes Buffers only; the bytes are not copied. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Equality of public values (object ids, curve OIDs); not for secrets (not constant time). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('hex');
}
