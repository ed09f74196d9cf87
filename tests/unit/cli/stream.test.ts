import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/io.js';
import { run } from '../../../cli/main.js';
import { hrng } from '../../helpers/cli.js';

function io(stdout: NodeJS.WritableStream): CliIo & { errText(): string } {
  const err: Buffer[] = [];
  const stderr = new PassThrough();
  stderr.on('data', (c: Buffer) => err.push(c));
  return { stdout, stderr, stdin: new PassThrough(), env: {}, interactive: false, errText: () => Buffer.concat(err).toString() };
}

describe('hrng stream', () => {
  it('--bytes N writes exactly N bytes and exits 0', async () => {
    const r = await hrng(['stream', '--bytes', '200000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toHaveLength(200000);
  });

  it('stops cleanly with exit 0 when the reader closes, having respected backpressure', async () => {
    let received = 0;
    let maxBuffered = 0;
    const sink: Writable = new Writable({
      highWaterMark: 16384,
      write(chunk: Buffer, _enc, done) {
        received += chunk.length;
        maxBuffered = Math.max(maxBuffered, sink.writableLength);
        if (received >= 1_000_000) {
          done();
          sink.destroy();
          return;
        }
        setImmediate(done);
      },
    });
    const env = io(sink);
    const code = await run(['stream'], env);
    expect(code).toBe(0);
    expect(received).toBeGreaterThanOrEqual(1_000_000);
    // Never more than one 64 KiB chunk waiting: the writer waited for 'drain'.
    expect(maxBuffered).toBeLessThanOrEqual(65536);
    expect(env.errText()).toBe('');
  });

  it('treats EPIPE as the end of the stream (exit 0), other stream errors as failures', async () => {
    const epipe = new Writable({
      highWaterMark: 1024,
      write(_c, _e, done) {
        const err = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        done(err);
      },
    });
    expect(await run(['stream'], io(epipe))).toBe(0);
    const broken = new Writable({
      highWaterMark: 1024,
      write(_c, _e, done) {
        done(Object.assign(new Error('disk on fire'), { code: 'EIO' }));
      },
    });
    const env = io(broken);
    expect(await run(['stream'], env)).toBe(1);
    expect(env.errText()).toContain('disk on fire');
  });

  it('bad arguments exit 2', async () => {
    expect((await hrng(['stream', 'x'])).code).toBe(2);
    expect((await hrng(['stream', '--bytes', '-1'])).code).toBe(2);
  });
});
