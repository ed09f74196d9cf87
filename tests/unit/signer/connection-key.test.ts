/**
 * The signer's persistent SecretConnection key (signer/connection-key.ts): created 0600 on first start,
 * the same key on every later start, and refused when the file is readable by others, not a regular
 * file, or not exactly one base64 seed.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateConnectionKey } from '../../../signer/index.js';
import { rejectionCode } from '../../helpers/thrown.js';
import { streamRandom } from '../keys/helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-conn-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('connection key file', () => {
  it('is created 0600 on first start, holds the seed of the key it returns, and gives the same key after', async () => {
    const path = join(dir, 'conn.key');
    const a = await loadOrCreateConnectionKey(path, streamRandom(5));
    expect(a.created).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const seed = Uint8Array.from(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'));
    expect(hex(ed25519.getPublicKey(seed))).toBe(hex(a.publicKey));
    const msg = new TextEncoder().encode('challenge');
    expect(ed25519.verify(await a.identity.sign(msg), msg, a.publicKey)).toBe(true);
    const b = await loadOrCreateConnectionKey(path, streamRandom(6));
    expect([b.created, hex(b.publicKey)]).toEqual([false, hex(a.publicKey)]);
    a.dispose();
    b.dispose();
  });

  it('refuses a file others can read, a symlink or directory, and anything but one base64 seed', async () => {
    const path = join(dir, 'conn.key');
    await loadOrCreateConnectionKey(path, streamRandom(5));
    chmodSync(path, 0o644);
    expect(await rejectionCode(loadOrCreateConnectionKey(path, streamRandom(1)))).toBe('SIGNER_CONNECTION_KEY_INVALID');
    chmodSync(path, 0o600);
    const link = join(dir, 'link.key');
    symlinkSync(path, link);
    expect(await rejectionCode(loadOrCreateConnectionKey(link, streamRandom(1)))).toBe('SIGNER_CONNECTION_KEY_INVALID');
    mkdirSync(join(dir, 'd.key'));
    expect(await rejectionCode(loadOrCreateConnectionKey(join(dir, 'd.key'), streamRandom(1)))).toBe('SIGNER_CONNECTION_KEY_INVALID');
    for (const body of ['', 'not base64!\n', `${Buffer.alloc(31).toString('base64')}\n`, `${Buffer.alloc(32).toString('base64')}\n\n`]) {
      const p = join(dir, 'bad.key');
      writeFileSync(p, body, { mode: 0o600 });
      expect(await rejectionCode(loadOrCreateConnectionKey(p, streamRandom(1)))).toBe('SIGNER_CONNECTION_KEY_INVALID');
      rmSync(p);
    }
  });
});
