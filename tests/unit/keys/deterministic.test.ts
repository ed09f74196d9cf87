/**
 * A generator marked `deterministic` (reproducible from its seed) is refused wherever key material is
 * made — generateKey, Secret.random, keystore encryption, hedged signers — unless the caller says
 * `allowDeterministic: true`.
 */
import { describe, expect, it } from 'vitest';
import type { RandomSource } from '../../../crypto/drbg/random-source.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { encryptKeystore } from '../../../crypto/keys/keystore.js';
import { SoftwareSigner } from '../../../crypto/keys/software-signer.js';
import { Secret } from '../../../crypto/secret/secret.js';
import { nodeRandom, streamRandom } from './helpers.js';

function marked(): RandomSource & { drawn: number } {
  const inner = streamRandom(42);
  const src = {
    deterministic: true,
    drawn: 0,
    randomBytes(n: number): Uint8Array {
      src.drawn += n;
      return inner.randomBytes(n);
    },
  };
  return src;
}

const REFUSED = { code: 'RNG_DETERMINISTIC_REFUSED' };
const kdf = { function: 'scrypt', n: 16, r: 8, p: 1 } as const;

describe('deterministic generators', () => {
  it('are refused by generateKey, Secret.random, encryptKeystore and hedged signers, before drawing', async () => {
    const rng = marked();
    expect(() => generateKey('ed25519', { rng })).toThrow(expect.objectContaining(REFUSED));
    expect(() => Secret.random(rng, 32)).toThrow(expect.objectContaining(REFUSED));
    const key = generateKey('ml-dsa-65', { rng: nodeRandom });
    await expect(encryptKeystore(key, Uint8Array.of(1), { rng, kdf, insecureTestKdf: true })).rejects.toMatchObject(REFUSED);
    expect(() => SoftwareSigner.fromRecord(key, { rng })).toThrow(expect.objectContaining(REFUSED));
    expect(rng.drawn).toBe(0);
  });

  it('are accepted with allowDeterministic: true, and then reproduce', async () => {
    const a = generateKey('ed25519', { rng: marked(), allowDeterministic: true });
    const b = generateKey('ed25519', { rng: marked(), allowDeterministic: true });
    expect(Buffer.from(a.publicKey).toString('hex')).toBe(Buffer.from(b.publicKey).toString('hex'));
    expect(Secret.random(marked(), 16, { allowDeterministic: true }).length).toBe(16);
    const json = await encryptKeystore(a, Uint8Array.of(1), { rng: marked(), kdf, insecureTestKdf: true, allowDeterministic: true });
    expect(json.version).toBe(2);
    const key = generateKey('ml-dsa-65', { rng: nodeRandom });
    using signer = SoftwareSigner.fromRecord(key, { rng: marked(), allowDeterministic: true });
    expect(signer.verify(Uint8Array.of(1), signer.signSync(Uint8Array.of(1)))).toBe(true);
  });

  it('Ed25519 signing draws no randomness, so a deterministic source there is not a hedged signer', () => {
    const key = generateKey('ed25519', { rng: nodeRandom });
    using signer = SoftwareSigner.fromRecord(key, { rng: marked() });
    expect(signer.signSync(Uint8Array.of(7)).length).toBe(64);
  });

  it('an unmarked source (deterministic absent or false) is used as before', () => {
    const rng: RandomSource = { deterministic: false, randomBytes: (n) => nodeRandom.randomBytes(n) };
    expect(generateKey('ed25519', { rng }).publicKey.length).toBe(32);
  });
});
