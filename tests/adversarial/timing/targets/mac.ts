/**
 * hmacVerify: the correct tag vs random tags. An early exit over a 32-byte tag inside a ≈ 3 µs HMAC is
 * tau ≈ 0.02–0.06, so these get 250 000 measurements (and 25 s) in CI.
 */
import type { HashName } from '../../../../crypto/hash.js';
import { hmac, hmacVerify } from '../../../../crypto/mac/hmac.js';
import { Secret } from '../../../../crypto/secret/index.js';
import { defineSpec, type CampaignSpec } from '../dudect/spec.js';
import { bytesTarget, fixedBytes } from './inputs.js';

const LABEL: Readonly<Record<'sha256' | 'sha3-512', string>> = { sha256: 'SHA-256', 'sha3-512': 'SHA3-512' };

export const macSpecs: readonly CampaignSpec[] = (['sha256', 'sha3-512'] as const satisfies readonly HashName[]).map((hash) =>
  defineSpec({
    id: `mac.hmacVerify.${hash}`,
    component: `hmacVerify (HMAC-${LABEL[hash]})`,
    file: 'crypto/mac/hmac.ts',
    method: `hmacVerify(${hash}, key, msg64, tag): tag = correct vs random`,
    budget: { measurements: 250_000, maxMs: 25_000 },
    make: () => {
      const key = Secret.from(fixedBytes(32, 5));
      const message = fixedBytes(64, 11);
      const tag = hmac(hash, key, message);
      return bytesTarget(tag, (s) => hmacVerify(hash, key, message, s.a));
    },
  }),
);
