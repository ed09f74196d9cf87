/**
 * `hrng signer run` as a real child process (the built dist/cli/hrng.js), started and stopped by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { NodeListener } from './node-side.js';

export const HRNG = fileURLToPath(new URL('../../../dist/cli/hrng.js', import.meta.url));

export class SignerProcess {
  readonly child: ChildProcess;
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string | undefined> = {}) {
    this.child = spawn(process.execPath, [HRNG, 'signer', 'run', ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  /** The metrics port the signer printed at start. */
  async metricsPort(timeoutMs = 30_000): Promise<number> {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      const m = /metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(this.stderr);
      if (m) return Number(m[1]);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`signer printed no metrics port: ${this.stderr}`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined)
      process.kill(this.child.pid, signal);
    return this.exited;
  }
}

/**
 * `hrng signer run` dialing `node` for `chainId` as the tests run it: /metrics on any loopback port, a re-dial
 * every 100 ms, the node's SecretConnection key pinned; then `args` (key, guard, …).
 */
export function signerDialing(
  node: NodeListener,
  chainId: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): SignerProcess {
  return new SignerProcess(
    [
      '--node',
      `tcp://127.0.0.1:${node.port}`,
      '--chain-id',
      chainId,
      '--metrics',
      '127.0.0.1:0',
      '--retry-ms',
      '100',
      '--node-key',
      Buffer.from(node.nodePublicKey).toString('hex'),
      ...args,
    ],
    env,
  );
}
