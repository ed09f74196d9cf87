/**
 * One JSON object per line over a TLS socket, with a line-length cap (a peer that sends an endless line is
 * cut off, not buffered). Mutual TLS itself is node:tls's; this is only framing.
 */
import type { TLSSocket } from 'node:tls';
import { MAX_LINE_BYTES } from './messages.js';

export class LineChannel {
  readonly socket: TLSSocket;
  private buffer = '';
  private closed = false;

  constructor(socket: TLSSocket, onLine: (line: string) => void, onClose: (reason: string) => void) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (;;) {
        const nl = this.buffer.indexOf('\n');
        if (nl < 0) break;
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        if (line.length > 0 && !this.closed) onLine(line);
      }
      if (this.buffer.length > MAX_LINE_BYTES) this.close('line too long');
    });
    const end = (reason: string): void => {
      if (this.closed) return;
      this.closed = true;
      onClose(reason);
    };
    socket.on('close', () => end('closed'));
    socket.on('error', (err: NodeJS.ErrnoException) => end(err.code ?? 'error'));
  }

  get isOpen(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  send(message: unknown): boolean {
    if (!this.isOpen) return false;
    this.socket.write(`${JSON.stringify(message)}\n`);
    return true;
  }

  close(_reason: string): void {
    this.socket.destroy();
  }
}
