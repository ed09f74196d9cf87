/**
 * Exact reads over a Node stream (a TCP or unix socket): `read(n)` resolves with exactly n bytes or
 * rejects SIGNER_CONNECTION_CLOSED when the stream ends first. SecretConnection and the privval codec
 * read through it, so a peer that stops mid-message never yields half a message.
 */
import type { Duplex } from 'node:stream';
import { SignerError } from './errors.js';

export class ByteStream {
  readonly #stream: Duplex;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #ended: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(stream: Duplex) {
    this.#stream = stream;
    stream.on('data', (c: Buffer) => {
      this.#chunks.push(c);
      this.#buffered += c.length;
      this.#wake?.();
    });
    const end = (err?: Error): void => {
      this.#ended ??= err ?? new SignerError('SIGNER_CONNECTION_CLOSED', 'the peer closed the connection');
      this.#wake?.();
    };
    stream.on('end', () => end());
    stream.on('close', () => end());
    stream.on('error', (e: Error) => end(new SignerError('SIGNER_CONNECTION_CLOSED', `connection error: ${e.message}`, { cause: e })));
  }

  async read(n: number): Promise<Uint8Array> {
    while (this.#buffered < n) {
      if (this.#ended !== undefined) throw this.#ended;
      await new Promise<void>((r) => (this.#wake = r));
      this.#wake = undefined;
    }
    const all = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    const out = Uint8Array.from(all.subarray(0, n));
    const rest = all.subarray(n);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#buffered = rest.length;
    return out;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#ended !== undefined) throw this.#ended;
    await new Promise<void>((resolve, reject) => {
      this.#stream.write(bytes, (err) =>
        err ? reject(new SignerError('SIGNER_CONNECTION_CLOSED', `write failed: ${err.message}`, { cause: err })) : resolve(),
      );
    });
  }

  close(): void {
    this.#stream.destroy();
  }
}
