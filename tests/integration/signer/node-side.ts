/**
 * The validator node's side of the remote-signer link, built for the tests from CometBFT's documented
 * protocol (p2p/conn/secret_connection.go, privval/signer_listener_endpoint.go) with primitives that are
 * not the signer's own: X25519, Ed25519 and ChaCha20-Poly1305 from @noble, HKDF from @noble/hashes,
 * and the Merlin transcript from @scure/sr25519 (a dev-only oracle). It listens like a node with
 * priv_validator_laddr, accepts the signer's dial, runs the handshake and exchanges privval messages.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { __tests } from '@scure/sr25519';
import { delimit, ProtoWriter, readFields } from '../../../consensus/index.js';
import { ByteStream, decodePrivvalMessage, encodePrivvalMessage, readDelimited, type PrivvalMessage } from '../../../signer/index.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

export class NodeLink {
  readonly signerKey: Uint8Array;
  readonly #stream: ByteStream;
  readonly #send: Uint8Array;
  readonly #recv: Uint8Array;
  #sn = 0n;
  #rn = 0n;
  #buf = new Uint8Array(0);

  private constructor(stream: ByteStream, send: Uint8Array, recv: Uint8Array, signerKey: Uint8Array) {
    this.#stream = stream;
    this.#send = send;
    this.#recv = recv;
    this.signerKey = signerKey;
  }

  static async accept(socket: Socket, nodeSecret: Uint8Array): Promise<NodeLink> {
    const stream = new ByteStream(socket);
    const priv = Uint8Array.from(randomBytes(32));
    const pub = x25519.getPublicKey(priv);
    await stream.write(delimit(new ProtoWriter().bytes(1, pub).bytesOut()));
    const theirs = readFields(await readDelimited((n) => stream.read(n), 1024))?.[0]?.bytes ?? new Uint8Array(0);
    const dh = x25519.getSharedSecret(priv, theirs);
    const least = Buffer.compare(Buffer.from(pub), Buffer.from(theirs)) < 0;
    const t = new __tests.Merlin(enc('TENDERMINT_SECRET_CONNECTION_TRANSCRIPT_HASH'));
    t.appendMessage(enc('EPHEMERAL_LOWER_PUBLIC_KEY'), least ? pub : theirs);
    t.appendMessage(enc('EPHEMERAL_UPPER_PUBLIC_KEY'), least ? theirs : pub);
    t.appendMessage(enc('DH_SECRET'), dh);
    const okm = hkdf(sha256, dh, undefined, enc('TENDERMINT_SECRET_CONNECTION_KEY_AND_CHALLENGE_GEN'), 96);
    const [recv, send] = least ? [okm.slice(0, 32), okm.slice(32, 64)] : [okm.slice(32, 64), okm.slice(0, 32)];
    const challenge = t.challengeBytes(enc('SECRET_CONNECTION_MAC'), 32);
    const link = new NodeLink(stream, send, recv, new Uint8Array(0));
    const pk = new ProtoWriter().bytes(1, ed25519.getPublicKey(nodeSecret)).bytesOut();
    await link.#write(delimit(new ProtoWriter().bytes(1, pk, true).bytes(2, ed25519.sign(challenge, nodeSecret)).bytesOut()));
    const auth = readFields(await readDelimited((n) => link.#read(n), 1024)) ?? [];
    const key = readFields(auth.find((f) => f.field === 1)?.bytes ?? new Uint8Array(0))?.[0]?.bytes ?? new Uint8Array(0);
    const sig = auth.find((f) => f.field === 2)?.bytes ?? new Uint8Array(0);
    if (!ed25519.verify(sig, challenge, key)) throw new Error('the signer failed SecretConnection authentication');
    return new NodeLink(stream, send, recv, key.slice()).#take(link);
  }

  #take(l: NodeLink): NodeLink {
    this.#sn = l.#sn;
    this.#rn = l.#rn;
    return this;
  }

  #nonce(n: bigint): Uint8Array {
    const b = new Uint8Array(12);
    new DataView(b.buffer).setBigUint64(4, n, true);
    return b;
  }

  async #write(data: Uint8Array): Promise<void> {
    for (let off = 0; off < data.length; off += 1024) {
      const chunk = data.subarray(off, off + 1024);
      const frame = new Uint8Array(1028);
      new DataView(frame.buffer).setUint32(0, chunk.length, true);
      frame.set(chunk, 4);
      await this.#stream.write(chacha20poly1305(this.#send, this.#nonce(this.#sn++)).encrypt(frame));
    }
  }

  async #read(n: number): Promise<Uint8Array> {
    while (this.#buf.length < n) {
      const frame = chacha20poly1305(this.#recv, this.#nonce(this.#rn++)).decrypt(await this.#stream.read(1044));
      const len = new DataView(frame.buffer, frame.byteOffset).getUint32(0, true);
      const merged = new Uint8Array(this.#buf.length + len);
      merged.set(this.#buf);
      merged.set(frame.subarray(4, 4 + len), this.#buf.length);
      this.#buf = merged;
    }
    const out = this.#buf.slice(0, n);
    this.#buf = this.#buf.slice(n);
    return out;
  }

  /** One request, one response. */
  async request(m: PrivvalMessage): Promise<PrivvalMessage> {
    await this.#write(delimit(encodePrivvalMessage(m)));
    return decodePrivvalMessage(await readDelimited((n) => this.#read(n), 64 * 1024));
  }

  close(): void {
    this.#stream.close();
  }
}

/** A node's privval listener on 127.0.0.1: hands out each signer connection after the handshake. */
export class NodeListener {
  readonly server: Server;
  readonly nodeSecret = ed25519.utils.randomSecretKey();
  readonly #pending: Socket[] = [];
  #waiter: ((s: Socket) => void) | undefined;

  private constructor(server: Server) {
    this.server = server;
    server.on('connection', (s: Socket) => {
      if (this.#waiter) {
        const w = this.#waiter;
        this.#waiter = undefined;
        w(s);
      } else {
        this.#pending.push(s);
      }
    });
  }

  static async listen(): Promise<NodeListener> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return new NodeListener(server);
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  get nodePublicKey(): Uint8Array {
    return ed25519.getPublicKey(this.nodeSecret);
  }

  async next(timeoutMs = 30_000): Promise<NodeLink> {
    const socket =
      this.#pending.shift() ??
      (await new Promise<Socket>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no signer connected in time')), timeoutMs);
        this.#waiter = (s) => {
          clearTimeout(t);
          resolve(s);
        };
      }));
    return NodeLink.accept(socket, this.nodeSecret);
  }

  close(): void {
    this.server.close();
  }
}
