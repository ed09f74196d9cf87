/**
 * The signer's side of CometBFT's remote-signer link (privval/signer_dialer_endpoint.go, with
 * DialTCPFn/DialUnixFn of privval/socket_dialers.go): the validator node listens on
 * `priv_validator_laddr` for both schemes (privval/utils.go NewSignerListener, privval/socket_listeners.go);
 * the signer dials it — `tcp://host:port` through a SecretConnection, `unix:///path` in the clear (a local
 * socket's permissions are the protection) — and then answers requests one at a time until the
 * connection drops, then dials again. There is no listening mode: CometBFT never dials a signer.
 *
 * Messages are length-delimited privval Messages of at most 10 KiB (CometBFT's
 * maxRemoteSignerMsgSize); a malformed or oversized one closes the connection.
 */
import { connect, type Socket } from 'node:net';
import { silentLogger, type Logger, type RandomSource } from '../crypto/index.js';
import { delimit } from '../consensus/index.js';
import { ByteStream } from './byte-stream.js';
import { readDelimited } from './delimited.js';
import { SignerError } from './errors.js';
import { decodePrivvalMessage, encodePrivvalMessage } from './privval-messages.js';
import type { PrivvalService } from './privval-service.js';
import { SecretConnection, type ConnectionIdentity } from './secret-connection.js';

export const MAX_PRIVVAL_MESSAGE = 10 * 1024;

export type NodeAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string };

export function parseNodeAddress(address: string): NodeAddress {
  const tcp = /^tcp:\/\/(\[[0-9a-fA-F:]+\]|[^:/\s]+):(\d{1,5})$/.exec(address);
  if (tcp !== null) {
    const port = Number(tcp[2]);
    if (port < 1 || port > 65535) throw new SignerError('SIGNER_CONFIG_INVALID', `port ${port} out of range in ${address}`);
    return { kind: 'tcp', host: (tcp[1] ?? '').replace(/^\[|\]$/g, ''), port };
  }
  const unix = /^unix:\/\/(\/.+)$/.exec(address);
  if (unix !== null) return { kind: 'unix', path: unix[1] ?? '' };
  throw new SignerError('SIGNER_CONFIG_INVALID', `node address must be tcp://HOST:PORT or unix:///PATH, got '${address.slice(0, 100)}'`);
}

export interface DialerOptions {
  readonly address: NodeAddress;
  readonly service: PrivvalService;
  /** The SecretConnection identity (tcp only). */
  readonly identity: ConnectionIdentity;
  readonly random: RandomSource;
  /** Pin the node's SecretConnection key. */
  readonly nodeKey?: Uint8Array;
  readonly logger?: Logger;
  /** Wait between dial attempts (default 1000 ms). */
  readonly retryMs?: number;
  readonly onState?: (connected: boolean) => void;
}

interface Link {
  read(n: number): Promise<Uint8Array>;
  write(b: Uint8Array): Promise<void>;
  close(): void;
}

export class PrivvalDialer {
  readonly #o: DialerOptions;
  readonly #log: Logger;
  #stopped = false;
  #socket: Socket | undefined;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(opts: DialerOptions) {
    this.#o = opts;
    this.#log = opts.logger ?? silentLogger;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#socket?.destroy();
    this.#wake?.();
    await this.#loop;
  }

  async #dial(): Promise<Link> {
    const a = this.#o.address;
    const socket = a.kind === 'tcp' ? connect(a.port, a.host) : connect(a.path);
    this.#socket = socket;
    socket.setNoDelay?.(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const stream = new ByteStream(socket);
    if (a.kind === 'unix') return stream;
    const sc = await SecretConnection.handshake(stream, {
      identity: this.#o.identity,
      random: this.#o.random,
      ...(this.#o.nodeKey ? { expectedPeer: this.#o.nodeKey } : {}),
    });
    return sc;
  }

  async #serve(link: Link): Promise<void> {
    for (;;) {
      const request = decodePrivvalMessage(await readDelimited((n) => link.read(n), MAX_PRIVVAL_MESSAGE));
      const reply = await this.#o.service.handle(request);
      await link.write(delimit(encodePrivvalMessage(reply)));
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let link: Link | undefined;
      try {
        link = await this.#dial();
        this.#log.info({ address: this.#describe() }, 'signer: connected to the node');
        this.#o.onState?.(true);
        await this.#serve(link);
      } catch (err) {
        if (!this.#stopped)
          this.#log.warn(
            { address: this.#describe(), code: String((err as { code?: unknown }).code ?? 'error'), why: (err as Error).message },
            'signer: link down',
          );
      } finally {
        link?.close();
        this.#socket?.destroy();
        this.#o.onState?.(false);
      }
      if (this.#stopped) break;
      await new Promise<void>((r) => {
        this.#wake = r;
        setTimeout(r, this.#o.retryMs ?? 1000).unref();
      });
    }
  }

  #describe(): string {
    const a = this.#o.address;
    return a.kind === 'tcp' ? `tcp://${a.host}:${a.port}` : `unix://${a.path}`;
  }
}
