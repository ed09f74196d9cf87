/**
 * The dialer over a unix socket (no SecretConnection: the socket's permissions protect it): it dials
 * the node's listener, answers requests one at a time, dials again after the node drops the link, and
 * closes a link that sends an oversized message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cometbftProposalDecoder, cometbftVoteDecoder, delimit, encodeUvarint, SigningGuard } from '../../../consensus/index.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { SoftwareSigner } from '../../../crypto/keys/software-signer.js';
import {
  ByteStream,
  decodePrivvalMessage,
  encodePrivvalMessage,
  PrivvalDialer,
  PrivvalService,
  readDelimited,
} from '../../../signer/index.js';
import { rejectionCode } from '../../helpers/thrown.js';
import { streamRandom } from '../keys/helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-endpoint-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('PrivvalDialer over a unix socket', () => {
  it('answers, redials after a drop, and drops a link that sends an oversized message', async () => {
    const path = join(dir, 'pv.sock');
    const sockets: Socket[] = [];
    let waiter: ((s: Socket) => void) | undefined;
    const server = createServer((s) => {
      sockets.push(s);
      waiter?.(s);
    });
    await new Promise<void>((r) => server.listen(path, r));
    const next = (): Promise<Socket> => new Promise((r) => (waiter = r));
    using key = SoftwareSigner.fromRecord(generateKey('ed25519', { rng: streamRandom(31) }));
    const guard = await SigningGuard.open({
      dir: join(dir, 'guard'),
      init: true,
      chainId: 'c',
      decoders: [cometbftVoteDecoder, cometbftProposalDecoder],
    });
    const states: boolean[] = [];
    const dialer = new PrivvalDialer({
      address: { kind: 'unix', path },
      service: new PrivvalService({ chainId: 'c', guard, keys: { current: key } }),
      identity: { publicKey: new Uint8Array(32), sign: async () => new Uint8Array(64) },
      random: streamRandom(32),
      retryMs: 20,
      onState: (c) => states.push(c),
    });
    try {
      let accepted = next();
      dialer.start();
      let stream = new ByteStream(await accepted);
      const ask = async (s: ByteStream, m: Parameters<typeof encodePrivvalMessage>[0]) => {
        await s.write(delimit(encodePrivvalMessage(m)));
        return decodePrivvalMessage(await readDelimited((n) => s.read(n), 4096));
      };
      expect(await ask(stream, { kind: 'pingRequest' })).toEqual({ kind: 'pingResponse' });
      const pk = await ask(stream, { kind: 'pubKeyRequest', chainId: 'c' });
      expect(pk.kind === 'pubKeyResponse' && Buffer.from(pk.pubKey).equals(Buffer.from(key.publicKey))).toBe(true);
      accepted = next();
      stream.close();
      stream = new ByteStream(await accepted);
      expect(await ask(stream, { kind: 'pingRequest' })).toEqual({ kind: 'pingResponse' });
      // 10 KiB + 1 announced: the signer closes the link rather than read it.
      accepted = next();
      await stream.write(encodeUvarint(10 * 1024 + 1));
      expect(await rejectionCode(stream.read(1))).toBe('SIGNER_CONNECTION_CLOSED');
      stream = new ByteStream(await accepted);
      expect(await ask(stream, { kind: 'pingRequest' })).toEqual({ kind: 'pingResponse' });
      expect(states.slice(0, 4)).toEqual([true, false, true, false]);
    } finally {
      await dialer.stop();
      for (const s of sockets) s.destroy();
      server.close();
      await guard.close();
    }
  });
});
