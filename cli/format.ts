/**
 * Small text helpers shared by the `hrng` commands: aligned tables, rates, and writes that respect
 * backpressure. (Whole-number arguments moved to args.ts; re-exported here for the commands that import
 * them from this file.)
 */
export { parseCount } from './args.js';

/** Left-aligned columns separated by two spaces; the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** 1234567 → "1.23 M", 12 → "12 " (decimal SI prefix and a space, for bytes/s and bits/s). */
export function si(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const units = ['', 'k', 'M', 'G', 'T'];
  let v = value;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 || u === 0 ? v.toFixed(0) : v.toFixed(2)} ${units[u] ?? ''}`;
}

/**
 * Writes `chunk` and waits while the stream's buffer is full. Resolves false when the reader went away
 * (EPIPE, or the stream closed) so the caller can stop cleanly; rethrows any other stream error.
 */
export async function writeChunk(stream: NodeJS.WritableStream, chunk: Uint8Array | string): Promise<boolean> {
  const w = stream as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
  if (w.destroyed || w.writableEnded) return false;
  if (stream.write(chunk)) return true;
  // Not events.once: its 'drain' waiter rejects on 'error', which would hide EPIPE's meaning.
  return new Promise<boolean>((resolve, reject) => {
    const settle = (fn: () => void): void => {
      stream.removeListener('drain', onDrain);
      stream.removeListener('close', onClose);
      stream.removeListener('error', onError);
      fn();
    };
    const onDrain = (): void => settle(() => resolve(true));
    const onClose = (): void => settle(() => resolve(false));
    const onError = (err: unknown): void => settle(() => (isBrokenPipe(err) ? resolve(false) : reject(err)));
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    stream.on('error', onError);
  });
}

export function isBrokenPipe(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}

/**
 * `bytes` as hex or base64 through a Buffer *view* of their own memory: `Buffer.from(uint8array)` would
 * copy random output into Node's shared allocation pool, where nothing ever zeroes it.
 */
export function encodeBytes(bytes: Uint8Array, encoding: 'hex' | 'base64'): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding);
}
