/**
 * The package's public surface (crypto/index.ts, re-exporting crypto/keys/index.ts) stays small: what an
 * application needs to generate, store and sign with keys — not the file-system helpers the keystore,
 * the guard and the CLI use internally (they import crypto/fs/index.js by path).
 */
import { describe, expect, it } from 'vitest';
import * as api from '../../../crypto/index.js';
import * as keys from '../../../crypto/keys/index.js';

describe('crypto/keys public surface', () => {
  it('exports the key API and its typed errors', () => {
    for (const name of [
      'generateKey',
      'SoftwareSigner',
      'PublicKeyVerifier',
      'writeKeystore',
      'readKeystore',
      'decryptKeystore',
      'inspectKeystore',
      'upgradeKeystoreFile',
      'KeystoreKdfError',
      'checkKdfParams',
    ]) {
      expect([name, name in api]).toEqual([name, true]);
    }
  });

  it('does not export the internal atomic-write helpers', () => {
    for (const name of ['writeFileAtomic', 'fsyncDir', 'isAtomicTempName']) {
      expect([name, name in keys, name in api]).toEqual([name, false, false]);
    }
  });
});
