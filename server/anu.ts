/**
 * ANU response bodies from generator bytes (docs/server.md): legacy `{type, length, data, success}` with
 * a numeric `length`; current `{success, type, length, data}` with `length` as a string. uint8: integers
 * 0–255; uint16: integers 0–65535 from big-endian byte pairs; hex8/hex16: lowercase hex blocks, each
 * `size` bytes (legacy hex16 and hex8) or `size` 16-bit words (current hex16).
 */
import { anuByteCount, type AnuRequest } from './query.js';

export function anuData(r: AnuRequest, shape: 'legacy' | 'current', bytes: Uint8Array): number[] | string[] {
  switch (r.type) {
    case 'uint8':
      return Array.from(bytes.subarray(0, r.length));
    case 'uint16':
      return Array.from({ length: r.length }, (_, i) => ((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number));
    case 'hex8':
    case 'hex16': {
      const block = anuByteCount(r, shape) / r.length;
      return Array.from({ length: r.length }, (_, i) => Buffer.from(bytes.subarray(i * block, (i + 1) * block)).toString('hex'));
    }
  }
}

export function anuBody(r: AnuRequest, shape: 'legacy' | 'current', bytes: Uint8Array): string {
  const data = anuData(r, shape, bytes);
  return shape === 'legacy'
    ? JSON.stringify({ type: r.type, length: r.length, data, success: true })
    : JSON.stringify({ success: true, type: r.type, length: String(r.length), data });
}
