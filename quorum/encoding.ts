/**
 * The byte encodings the quorum's hashes and associated data are built from: lp(s) = 32-bit big-endian
 * length ‖ UTF-8 of s (as the pool's labels), and 64-bit big-endian unsigned integers.
 */
const encoder = new TextEncoder();

export function lp(text: string): Uint8Array {
  const body = encoder.encode(text);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length, false);
  out.set(body, 4);
  return out;
}

export function u64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value), false);
  return out;
}
