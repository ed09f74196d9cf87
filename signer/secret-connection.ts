/**
 * CometBFT's SecretConnection (p2p/conn/secret_connection.go; the Station-to-Station protocol of
 * docs/sts-final.pdf), as the privval link between a validator node and its remote signer uses it:
 *
 *  1. each side sends an ephemeral X25519 public key as a length-delimited google.protobuf.BytesValue;
 *     a low-order point (libsodium's list) or an all-zero shared secret is refused;
 *  2. a Merlin transcript "TENDERMINT_SECRET_CONNECTION_TRANSCRIPT_HASH" absorbs the two keys (lower
 *     first) and the shared secret; HKDF-SHA256(dh, no salt, "TENDERMINT_SECRET_CONNECTION_KEY_AND_
 *     CHALLENGE_GEN") gives 64 bytes: the first 32 are the receive key of the side whose ephemeral key
 *     is the lower, the next 32 its send key; the challenge is 32 bytes of the transcript
 *     ("SECRET_CONNECTION_MAC");
 *  3. both sides sign the challenge with their Ed25519 identity and exchange, encrypted,
 *     p2p.AuthSigMessage{pub_key: PublicKey{ed25519}, sig}; a bad signature or another key type is refused;
 *  4. data then flows in sealed frames: 4-byte little-endian length ‖ up to 1024 data bytes, zero-padded
 *     to 1028, ChaCha20-Poly1305 under a 96-bit nonce of 4 zero bytes ‖ a 64-bit little-endian counter
 *     per direction (1044 bytes on the wire).
 *
 * CometBFT does not authenticate who is at the other end beyond the key; `expectedPeer` pins it.
 * Not supported: peers other than Ed25519 (CometBFT's own node keys are Ed25519).
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { ct, hkdf, type RandomSource } from '../crypto/index.js';
import equal = ct.equal;
import { delimit, readFields, ProtoWriter } from '../consensus/index.js';
import { readDelimited as readDelimitedMessage } from './delimited.js';
import type { ByteStream } from './byte-stream.js';
import { SignerError } from './errors.js';
import { MerlinTranscript } from './merlin.js';

export const DATA_MAX = 1024;
const FRAME = DATA_MAX + 4;
const SEALED = FRAME + 16;
const KEY_GEN_INFO = new TextEncoder().encode('TENDERMINT_SECRET_CONNECTION_KEY_AND_CHALLENGE_GEN');

/** libsodium's low-order X25519 points, as CometBFT listed them (and their non-canonical twins). */
const LOW_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((h) => Uint8Array.from(Buffer.from(h, 'hex')));

/** The connection's own Ed25519 identity (not the validator key: CometBFT does not check it). */
export interface ConnectionIdentity {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

export interface HandshakeOptions {
  readonly identity: ConnectionIdentity;
  /** Draws the ephemeral X25519 key. */
  readonly random: RandomSource;
  /** Refuse any peer but this Ed25519 key. */
  readonly expectedPeer?: Uint8Array;
  /** Largest handshake message accepted (CometBFT: 1 MiB); the default is 1 KiB, which both need. */
  readonly maxHandshakeMessage?: number;
}

/** True for a point whose shared secret is fixed (its high bit ignored, as X25519 does). */
export function isLowOrderPoint(p: Uint8Array): boolean {
  const q = p.slice();
  q[31] = (q[31] ?? 0) & 0x7f;
  return LOW_ORDER.some((l) => equal(l, q));
}

/** HKDF of the shared secret: the receive and send keys of the side that is (or is not) the lower, and the legacy challenge. */
export function deriveSecrets(dh: Uint8Array, locIsLeast: boolean): { recv: Uint8Array; send: Uint8Array; legacyChallenge: Uint8Array } {
  const okm = hkdf('sha256', dh, undefined, KEY_GEN_INFO, 96);
  const a = okm.slice(0, 32);
  const b = okm.slice(32, 64);
  return locIsLeast ? { recv: a, send: b, legacyChallenge: okm.slice(64) } : { recv: b, send: a, legacyChallenge: okm.slice(64) };
}

async function readDelimited(read: (n: number) => Promise<Uint8Array>, max: number): Promise<Uint8Array> {
  try {
    return await readDelimitedMessage(read, max);
  } catch (err) {
    if (err instanceof SignerError && err.code.startsWith('SIGNER_MESSAGE')) throw fail('SIGNER_HANDSHAKE_FAILED', err.message);
    throw err;
  }
}

const fail = (code: 'SIGNER_HANDSHAKE_FAILED' | 'SIGNER_LOW_ORDER_POINT' | 'SIGNER_AUTH_FAILED', why: string): SignerError =>
  new SignerError(code, `SecretConnection: ${why}`);

function nonceOf(counter: bigint): Uint8Array {
  const n = new Uint8Array(12);
  new DataView(n.buffer).setBigUint64(4, counter, true);
  return n;
}

export class SecretConnection {
  #remote: Uint8Array;
  readonly #stream: ByteStream;
  readonly #sendKey: Uint8Array;
  readonly #recvKey: Uint8Array;
  #sendNonce = 0n;
  #recvNonce = 0n;
  #recvBuffer = new Uint8Array(0);

  private constructor(stream: ByteStream, keys: { send: Uint8Array; recv: Uint8Array }, remote: Uint8Array) {
    this.#stream = stream;
    this.#sendKey = keys.send;
    this.#recvKey = keys.recv;
    this.#remote = remote;
  }

  /** The peer's authenticated Ed25519 identity. */
  get remotePublicKey(): Uint8Array {
    return this.#remote.slice();
  }

  /** Runs the handshake over `stream`; rejects with a SignerError saying which step failed. */
  static async handshake(stream: ByteStream, opts: HandshakeOptions): Promise<SecretConnection> {
    const max = opts.maxHandshakeMessage ?? 1024;
    const ephPriv = opts.random.randomBytes(32);
    const ephPub = x25519.getPublicKey(ephPriv);
    await stream.write(delimit(new ProtoWriter().bytes(1, ephPub).bytesOut()));
    const msg = readFields(await readDelimited((n) => stream.read(n), max));
    const value = msg?.length === 1 && msg[0]?.field === 1 && msg[0].wire === 2 ? msg[0].bytes : undefined;
    if (value === undefined || value.length !== 32) throw fail('SIGNER_HANDSHAKE_FAILED', 'the peer did not send a 32-byte ephemeral key');
    const remEph = value.slice();
    if (isLowOrderPoint(remEph)) throw fail('SIGNER_LOW_ORDER_POINT', 'the peer sent a low-order ephemeral key');
    let dh: Uint8Array;
    try {
      dh = x25519.getSharedSecret(ephPriv, remEph);
    } catch {
      throw fail('SIGNER_LOW_ORDER_POINT', 'the shared secret is zero');
    } finally {
      ephPriv.fill(0);
    }
    if (dh.every((b) => b === 0)) throw fail('SIGNER_LOW_ORDER_POINT', 'the shared secret is zero');
    const locIsLeast = Buffer.compare(Buffer.from(ephPub), Buffer.from(remEph)) < 0;
    const [lo, hi] = locIsLeast ? [ephPub, remEph] : [remEph, ephPub];
    const t = new MerlinTranscript('TENDERMINT_SECRET_CONNECTION_TRANSCRIPT_HASH');
    t.appendMessage('EPHEMERAL_LOWER_PUBLIC_KEY', lo);
    t.appendMessage('EPHEMERAL_UPPER_PUBLIC_KEY', hi);
    t.appendMessage('DH_SECRET', dh);
    const keys = deriveSecrets(dh, locIsLeast);
    dh.fill(0);
    keys.legacyChallenge.fill(0);
    const challenge = t.challengeBytes('SECRET_CONNECTION_MAC', 32);
    t.wipe();
    const sc = new SecretConnection(stream, keys, new Uint8Array(0));
    const sig = await opts.identity.sign(challenge);
    const pub = new ProtoWriter().bytes(1, opts.identity.publicKey).bytesOut();
    await sc.write(delimit(new ProtoWriter().bytes(1, pub, true).bytes(2, sig).bytesOut()));
    const auth = readFields(await readDelimited((n) => sc.read(n), max));
    const pk = auth?.find((f) => f.field === 1 && f.wire === 2);
    const key = pk === undefined ? undefined : readFields(pk.bytes);
    const ed = key?.length === 1 && key[0]?.field === 1 && key[0].wire === 2 ? key[0].bytes : undefined;
    const remSig = auth?.find((f) => f.field === 2 && f.wire === 2)?.bytes;
    if (ed === undefined || ed.length !== 32) throw fail('SIGNER_AUTH_FAILED', 'the peer did not send an Ed25519 public key');
    if (remSig === undefined || remSig.length !== 64) throw fail('SIGNER_AUTH_FAILED', 'the peer did not send a 64-byte signature');
    let ok = false;
    try {
      ok = ed25519.verify(remSig, challenge, ed);
    } catch {
      ok = false;
    }
    if (!ok) throw fail('SIGNER_AUTH_FAILED', "the peer's challenge signature does not verify");
    if (opts.expectedPeer !== undefined && !equal(opts.expectedPeer, ed))
      throw fail('SIGNER_AUTH_FAILED', 'the peer is not the expected key');
    sc.#remote = ed.slice();
    return sc;
  }

  /** Writes `data` in sealed frames of up to 1024 bytes each. */
  async write(data: Uint8Array): Promise<void> {
    const frames: Uint8Array[] = [];
    for (let off = 0; off < data.length; off += DATA_MAX) {
      const chunk = data.subarray(off, Math.min(off + DATA_MAX, data.length));
      const frame = new Uint8Array(FRAME);
      new DataView(frame.buffer).setUint32(0, chunk.length, true);
      frame.set(chunk, 4);
      if (this.#sendNonce === 0xffffffffffffffffn) throw new SignerError('SIGNER_FRAME_INVALID', 'SecretConnection: send nonce exhausted');
      frames.push(chacha20poly1305(this.#sendKey, nonceOf(this.#sendNonce++)).encrypt(frame));
    }
    const out = new Uint8Array(frames.length * SEALED);
    frames.forEach((f, i) => out.set(f, i * SEALED));
    await this.#stream.write(out);
  }

  async #readFrame(): Promise<Uint8Array> {
    const sealed = await this.#stream.read(SEALED);
    let frame: Uint8Array;
    try {
      frame = chacha20poly1305(this.#recvKey, nonceOf(this.#recvNonce)).decrypt(sealed);
    } catch {
      throw new SignerError('SIGNER_FRAME_INVALID', 'SecretConnection: a frame failed authentication');
    }
    this.#recvNonce++;
    const len = new DataView(frame.buffer, frame.byteOffset).getUint32(0, true);
    if (len > DATA_MAX) throw new SignerError('SIGNER_FRAME_INVALID', `SecretConnection: a frame states ${len} bytes, over ${DATA_MAX}`);
    return frame.slice(4, 4 + len);
  }

  /** Exactly `n` plaintext bytes, across frames. */
  async read(n: number): Promise<Uint8Array> {
    while (this.#recvBuffer.length < n) {
      const chunk = await this.#readFrame();
      const merged = new Uint8Array(this.#recvBuffer.length + chunk.length);
      merged.set(this.#recvBuffer, 0);
      merged.set(chunk, this.#recvBuffer.length);
      this.#recvBuffer = merged;
    }
    const out = this.#recvBuffer.slice(0, n);
    this.#recvBuffer = this.#recvBuffer.slice(n);
    return out;
  }

  close(): void {
    this.#sendKey.fill(0);
    this.#recvKey.fill(0);
    this.#stream.close();
  }
}
