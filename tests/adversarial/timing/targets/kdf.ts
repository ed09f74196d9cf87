/** HKDF-Expand: a fixed PRK vs random PRKs of the same length. */
import type { HashName } from '../../../../crypto/hash.js';
import { hkdfExpand } from '../../../../crypto/kdf/hkdf.js';
import { defineSpec, type CampaignSpec } from '../dudect/spec.js';
import { bytesTarget, fixedBytes } from './inputs.js';

const LABEL: Readonly<Record<'sha256' | 'sha3-512', string>> = { sha256: 'SHA-256', 'sha3-512': 'SHA3-512' };

export const kdfSpecs: readonly CampaignSpec[] = (['sha256', 'sha3-512'] as const satisfies readonly HashName[]).map((hash) => {
  const prkLength = hash === 'sha256' ? 32 : 64;
  return defineSpec({
    id: `kdf.hkdfExpand.${hash}`,
    component: `HKDF-Expand (${LABEL[hash]})`,
    file: 'crypto/kdf/hkdf.ts',
    method: `hkdfExpand(${hash}, prk${prkLength}, info20, 64): prk = fixed vs random`,
    make: () => {
      const info = fixedBytes(20, 19);
      return bytesTarget(fixedBytes(prkLength, 23), (s) => hkdfExpand(hash, s.a, info, 64));
    },
  });
});
