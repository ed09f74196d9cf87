/**
 * CometBFT's `priv_validator_key.json` (privval/file.go FilePVKey, amino JSON): the operator's file a
 * validator moves into the encrypted keystore (import) or back out of it (export, for a migration):
 *
 *   { "address": "<HEX of SHA-256(pub)[:20]>",
 *     "pub_key":  { "type": "tendermint/PubKeyEd25519",  "value": "<base64 of 32 bytes>" },
 *     "priv_key": { "type": "tendermint/PrivKeyEd25519", "value": "<base64 of seed ‖ pub, 64 bytes>" } }
 *
 * Import checks that the seed yields the stated public key and address; the seed goes straight into a
 * zeroizing Secret. Export writes the file 0600, atomically, and never over an existing file.
 *
 * Not supported: secp256k1 or BLS validator keys.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ct, keyIdOf, publicKeyFromSeed, Secret, type KeyRecord } from '../crypto/index.js';
import equal = ct.equal;
import { SignerError } from './errors.js';

const bad = (why: string): SignerError => new SignerError('SIGNER_KEY_FILE_MALFORMED', `priv_validator_key.json: ${why}`);

/** CometBFT's validator address: the first 20 bytes of SHA-256 of the public key, upper-case hex. */
export function validatorAddress(publicKey: Uint8Array): string {
  return Buffer.from(sha256(publicKey).slice(0, 20)).toString('hex').toUpperCase();
}

function typed(v: unknown, type: string, what: string): Uint8Array {
  if (typeof v !== 'object' || v === null) throw bad(`${what} missing`);
  const r = v as Record<string, unknown>;
  if (r.type !== type) throw bad(`${what}.type must be '${type}'`);
  if (typeof r.value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(r.value)) throw bad(`${what}.value must be base64`);
  return Uint8Array.from(Buffer.from(r.value, 'base64'));
}

/** The key a priv_validator_key.json holds, as a KeyRecord (its seed a Secret; `text` is not kept). */
export function parsePrivValidatorKey(text: string, createdAt: number): KeyRecord {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  if (typeof root !== 'object' || root === null) throw bad('not an object');
  const r = root as Record<string, unknown>;
  const pub = typed(r.pub_key, 'tendermint/PubKeyEd25519', 'pub_key');
  const priv = typed(r.priv_key, 'tendermint/PrivKeyEd25519', 'priv_key');
  try {
    if (pub.length !== 32) throw bad('pub_key must be 32 bytes');
    if (priv.length !== 64) throw bad('priv_key must be 64 bytes (seed ‖ public key)');
    const seed = Secret.from(priv.slice(0, 32));
    const derived = publicKeyFromSeed('ed25519', seed);
    if (!equal(derived, pub) || !equal(priv.subarray(32), pub)) {
      seed.dispose();
      throw bad('the private key does not yield pub_key');
    }
    if (typeof r.address === 'string' && r.address.toUpperCase() !== validatorAddress(pub)) {
      seed.dispose();
      throw bad('address is not SHA-256(pub_key)[:20]');
    }
    return { scheme: 'ed25519', publicKey: pub, keyId: keyIdOf('ed25519', pub), createdAt, seed };
  } finally {
    priv.fill(0);
  }
}

/** The priv_validator_key.json text of an Ed25519 record (the caller writes it 0600). */
export function formatPrivValidatorKey(record: KeyRecord): string {
  if (record.scheme !== 'ed25519')
    throw new SignerError('SIGNER_INVALID_ARGUMENT', `only Ed25519 keys have a priv_validator_key.json, not ${record.scheme}`);
  const priv = record.seed.use((s) => {
    const b = new Uint8Array(64);
    b.set(s, 0);
    b.set(record.publicKey, 32);
    return b;
  });
  try {
    const doc = {
      address: validatorAddress(record.publicKey),
      pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.from(record.publicKey).toString('base64') },
      priv_key: { type: 'tendermint/PrivKeyEd25519', value: Buffer.from(priv).toString('base64') },
    };
    return `${JSON.stringify(doc, null, 2)}\n`;
  } finally {
    priv.fill(0);
  }
}
