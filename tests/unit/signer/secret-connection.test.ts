/**
 * SecretConnection: CometBFT's 32 golden key derivations, a handshake between two of ours over real
 * loopback TCP, and the attack cases of CometBFT's p2p/conn/evil_secret_connection_test.go (a peer that
 * withholds or garbles its ephemeral key or its auth message) plus low-order points, a signature over
 * the wrong challenge, another key type, an oversized frame and a replayed frame.
 */
import { readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { delimit, ProtoWriter } from '../../../consensus/index.js';
import { ByteStream } from '../../../signer/byte-stream.js';
import { MerlinTranscript } from '../../../signer/merlin.js';
import { deriveSecrets, SecretConnection, type ConnectionIdentity } from '../../../signer/secret-connection.js';
import { rejectionCode } from '../../helpers/thrown.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const random = { randomBytes: (n: number): Uint8Array => Uint8Array.from(randomBytes(n)) };
function identity(): ConnectionIdentity & { secret: Uint8Array } {
  const secret = ed25519.utils.randomSecretKey();
  return { secret, publicKey: ed25519.getPublicKey(secret), sign: async (m) => ed25519.sign(m, secret) };
}
const V = JSON.parse(readFileSync(new URL('../../vectors/cometbft/vectors.json', import.meta.url), 'utf8')) as {
  x25519LowOrder: { points: { name: string; hex: string }[] };
};

describe('SecretConnection key derivation (TestDeriveSecretsAndChallengeGolden)', () => {
  const lines = readFileSync(new URL('../../vectors/cometbft/TestDeriveSecretsAndChallengeGolden.golden', import.meta.url), 'utf8')
    .trim()
    .split('\n');
  it('has the 32 golden vectors and reproduces each', () => {
    expect(lines).toHaveLength(32);
    for (const line of lines) {
      const [dh, least, recv, send, challenge] = line.split(',');
      const got = deriveSecrets(unhex(dh ?? ''), least === 'true');
      expect([hex(got.recv), hex(got.send), hex(got.legacyChallenge)]).toEqual([recv, send, challenge]);
    }
  });
});

let servers: Server[] = [];
let sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
  servers = [];
  sockets = [];
});

/** A loopback TCP pair: our side's stream and the peer's socket. */
async function pair(): Promise<{ ours: ByteStream; peer: Socket; peerStream: ByteStream }> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const client = connect(port, '127.0.0.1');
  const peer = await accepted;
  sockets.push(client, peer);
  return { ours: new ByteStream(client), peer, peerStream: new ByteStream(peer) };
}

/** A scripted peer that runs the protocol step by step, so that each step can be corrupted. */
async function evilPeer(
  stream: ByteStream,
  script: {
    ephKey?: Uint8Array | 'none' | 'junk';
    auth?: 'none' | 'garbage-frame' | 'wrong-challenge' | 'secp256k1' | 'good';
    after?: (send: (frame: Uint8Array, nonce: bigint) => Promise<void>) => Promise<void>;
  },
): Promise<void> {
  const lenPrefixed = async (): Promise<Uint8Array> => {
    const n = (await stream.read(1))[0] ?? 0;
    return stream.read(n);
  };
  const theirs = await lenPrefixed();
  const remEph = theirs.subarray(2);
  if (script.ephKey === 'none') return stream.close();
  const priv = random.randomBytes(32);
  const pub = script.ephKey instanceof Uint8Array ? script.ephKey : x25519.getPublicKey(priv);
  const value = script.ephKey === 'junk' ? new TextEncoder().encode('drop users;') : pub;
  await stream.write(delimit(new ProtoWriter().bytes(1, value).bytesOut()));
  if (script.ephKey !== undefined || script.auth === 'none') return;
  const dh = x25519.getSharedSecret(priv, remEph);
  const least = Buffer.compare(Buffer.from(pub), Buffer.from(remEph)) < 0;
  const t = new MerlinTranscript('TENDERMINT_SECRET_CONNECTION_TRANSCRIPT_HASH');
  t.appendMessage('EPHEMERAL_LOWER_PUBLIC_KEY', least ? pub : remEph);
  t.appendMessage('EPHEMERAL_UPPER_PUBLIC_KEY', least ? remEph : pub);
  t.appendMessage('DH_SECRET', dh);
  const { send } = deriveSecrets(dh, least);
  const challenge = t.challengeBytes('SECRET_CONNECTION_MAC', 32);
  const sendFrame = async (frame: Uint8Array, nonce: bigint): Promise<void> => {
    const n = new Uint8Array(12);
    new DataView(n.buffer).setBigUint64(4, nonce, true);
    await stream.write(chacha20poly1305(send, n).encrypt(frame));
  };
  const frameOf = (data: Uint8Array): Uint8Array => {
    const f = new Uint8Array(1028);
    new DataView(f.buffer).setUint32(0, data.length, true);
    f.set(data, 4);
    return f;
  };
  const me = identity();
  if (script.auth === 'garbage-frame') return stream.write(random.randomBytes(1044));
  const signed = script.auth === 'wrong-challenge' ? new Uint8Array(32) : challenge;
  const keyField = script.auth === 'secp256k1' ? 2 : 1;
  const pk = new ProtoWriter().bytes(keyField, script.auth === 'secp256k1' ? new Uint8Array(33).fill(2) : me.publicKey).bytesOut();
  await sendFrame(frameOf(delimit(new ProtoWriter().bytes(1, pk, true).bytes(2, ed25519.sign(signed, me.secret)).bytesOut())), 0n);
  await script.after?.(async (frame, nonce) => sendFrame(frame, nonce));
}

describe('SecretConnection handshake', () => {
  it('two of ours authenticate each other and carry messages over 1024 bytes in sealed frames', async () => {
    const { ours, peerStream } = await pair();
    const a = identity();
    const b = identity();
    const [sa, sb] = await Promise.all([
      SecretConnection.handshake(ours, { identity: a, random, expectedPeer: b.publicKey }),
      SecretConnection.handshake(peerStream, { identity: b, random }),
    ]);
    expect([hex(sa.remotePublicKey), hex(sb.remotePublicKey)]).toEqual([hex(b.publicKey), hex(a.publicKey)]);
    const big = random.randomBytes(3000);
    await sa.write(big);
    expect(hex(await sb.read(3000))).toBe(hex(big));
    await sb.write(Uint8Array.of(1, 2, 3));
    expect(Array.from(await sa.read(3))).toEqual([1, 2, 3]);
  });

  it('refuses a peer that is not the pinned key', async () => {
    const { ours, peerStream } = await pair();
    const [r] = await Promise.all([
      rejectionCode(SecretConnection.handshake(ours, { identity: identity(), random, expectedPeer: identity().publicKey })),
      SecretConnection.handshake(peerStream, { identity: identity(), random }).catch(() => undefined),
    ]);
    expect(r).toBe('SIGNER_AUTH_FAILED');
  });

  const cases: [string, Parameters<typeof evilPeer>[1], string][] = [
    ['refuse to share ephemeral key (evil test)', { ephKey: 'none' }, 'SIGNER_CONNECTION_CLOSED'],
    ['share bad ephemeral key (evil test)', { ephKey: 'junk' }, 'SIGNER_HANDSHAKE_FAILED'],
    ['refuse to share auth signature (evil test)', { auth: 'none' }, 'SIGNER_CONNECTION_CLOSED'],
    ['share bad auth signature (evil test: an undecryptable frame)', { auth: 'garbage-frame' }, 'SIGNER_FRAME_INVALID'],
    ['a signature over another challenge', { auth: 'wrong-challenge' }, 'SIGNER_AUTH_FAILED'],
    ['a key type other than Ed25519', { auth: 'secp256k1' }, 'SIGNER_AUTH_FAILED'],
    ['all good (evil test)', { auth: 'good' }, 'ok'],
  ];
  it.each(cases)('%s', async (_name, script, expected) => {
    const { ours, peer, peerStream } = await pair();
    const outcome = rejectionCode(SecretConnection.handshake(ours, { identity: identity(), random }));
    await evilPeer(peerStream, script).catch(() => undefined);
    if (script.auth === 'none') peer.end();
    expect(await outcome).toBe(expected);
  });

  it.each(V.x25519LowOrder.points.map((p) => [p.name, p.hex] as const))('refuses the low-order point %s', async (_n, point) => {
    const { ours, peerStream } = await pair();
    const outcome = rejectionCode(SecretConnection.handshake(ours, { identity: identity(), random }));
    await evilPeer(peerStream, { ephKey: unhex(point) }).catch(() => undefined);
    expect(await outcome).toBe('SIGNER_LOW_ORDER_POINT');
  });

  it('after the handshake: a frame stating more than 1024 bytes, and a replayed frame, are refused', async () => {
    for (const attack of ['oversized', 'replayed'] as const) {
      const { ours, peerStream } = await pair();
      const sc = SecretConnection.handshake(ours, { identity: identity(), random });
      await evilPeer(peerStream, {
        auth: 'good',
        after: async (send) => {
          const f = new Uint8Array(1028);
          new DataView(f.buffer).setUint32(0, attack === 'oversized' ? 1025 : 4, true);
          // Nonce 1 is the next one; a replay sends the auth frame's nonce 0 again.
          await send(f, attack === 'oversized' ? 1n : 0n);
        },
      });
      const conn = await sc;
      expect([attack, await rejectionCode(conn.read(1))]).toEqual([attack, 'SIGNER_FRAME_INVALID']);
    }
  });
});
