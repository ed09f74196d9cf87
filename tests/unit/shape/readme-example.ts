// The README example, checked by readme.test.ts; keep identical to README.md (imports aside).
import { Rng, Secret, SoftwareSigner, generateKey, hkdf } from '../../../crypto/index.js';

const rng = await Rng.create();                  // KATs, SP 800-90B start-up tests, seed from ≥ 2 healthy sources
const nonce = rng.randomBytes(32);               // throws RngFailedError rather than return weaker bytes
console.log(rng.health().state, rng.health().seed?.contributions.map((c) => `${c.id}:${c.creditedBits}`));

const key = generateKey('ed25519', { rng });     // key.seed is a zeroizing Secret drawn from rng
using signer = SoftwareSigner.fromRecord(key, { rng });
const vote = new TextEncoder().encode('prevote h=1 r=0');
console.log(key.keyId, signer.verify(vote, await signer.sign(vote)));

using p2pKey = Secret.derive('sha512', nonce, { info: new TextEncoder().encode('p2p v1'), length: 32 });
console.log(`${p2pKey}`, hkdf('sha256', nonce, undefined, new Uint8Array(0), 16).length);  // Secret(32 bytes, redacted) 16
