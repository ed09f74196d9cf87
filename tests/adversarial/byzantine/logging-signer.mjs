// The Ed25519 signer of the guard's crash and race children (plain JavaScript over dist/): every
// signature it computes is appended and fsynced to `log` before the guard sees it, as one JSON line
// built by `describe(message, signature)`. That log is every signature that exists, released or not.
import { appendFileSync, closeSync, fsyncSync, openSync } from 'node:fs';
import { SoftwareSigner } from '../../../dist/crypto/keys/index.js';
import { Secret } from '../../../dist/crypto/secret/index.js';

export function loggingSigner(seedHex, log, describe) {
  const inner = SoftwareSigner.fromSeed('ed25519', Secret.from(Uint8Array.from(Buffer.from(seedHex, 'hex'))));
  return {
    scheme: inner.scheme,
    publicKey: inner.publicKey,
    keyId: inner.keyId,
    verify: (m, s) => inner.verify(m, s),
    async sign(m) {
      const sig = await inner.sign(m);
      appendFileSync(log, `${JSON.stringify(describe(m, sig))}\n`);
      const fd = openSync(log, 'r');
      fsyncSync(fd);
      closeSync(fd);
      return sig;
    },
  };
}
