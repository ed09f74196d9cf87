/**
 * The master wrapping key sealed by a SoftHSM2-held AES-256-GCM key: created through the CLI, opened by
 * the library, the same key each time it is opened; another token key or an altered file does not open it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Pkcs11Hsm, findAesKey, generateAesKey } from '../../../hsm/index.js';
import { WrappingKey } from '../../../quorum/wrap.js';
import { hrng, softhsmCliEnv } from '../helpers/cli.js';
import { openTokenForSuite, requireTokenOnCi, scratchDir, softhsm, suiteTitle, uniqueLabel } from '../helpers/tokens.js';
import { testRng } from '../../unit/sharing/helpers.js';

requireTokenOnCi(softhsm, 'SoftHSM2');

describe.skipIf(!softhsm.up)(suiteTitle(softhsm, 'quorum wrapping key sealed by SoftHSM2'), () => {
  if (!softhsm.up) return;
  const token = softhsm.token;
  const dir = scratchDir('hrng-quorum-hsm-');
  let hsm: Pkcs11Hsm;
  openTokenForSuite(token, (opened) => {
    hsm = opened;
  });
  const address = { keyId: 'k1', epoch: 1, agentId: 'agent-1', publicKey: 'ab'.repeat(32) };

  it('hrng aggregator init-wrapping-key --sealed … --new-hsm-key; two opens give the same wrapping key', async () => {
    const label = uniqueLabel('quorum-wrap');
    const sealed = join(dir(), 'wrapping.sealed.json');
    const r = await hrng(
      ['aggregator', 'init-wrapping-key', '--sealed', sealed, '--hsm-key', label, '--new-hsm-key'],
      softhsmCliEnv(token),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      wrappingSealed: sealed,
      hsmKey: label,
      protections: { modifiable: 'enforced', copyable: 'enforced', destroyable: 'not-requested', refused: [] },
    });
    expect(readFileSync(sealed, 'utf8')).toMatch(
      /^\{"format":"hrng-quorum-wrapping-key\/1","iv":"[0-9a-f]{24}","ciphertext":"[0-9a-f]{96}"\}\n$/,
    );
    const key = findAesKey(hsm, { label });
    const a = await WrappingKey.fromSealed(sealed, key);
    const b = await WrappingKey.fromSealed(sealed, key);
    const share = Uint8Array.from({ length: 90 }, (_, i) => i);
    expect(Array.from(b.unwrap(a.wrap(share, address, testRng('hsm-wrap')), address))).toEqual(Array.from(share));
  });

  it('another token key, or an altered file, does not open it (QUORUM_WRAPPING_KEY)', async () => {
    const label = uniqueLabel('quorum-wrap2');
    const key = generateAesKey(hsm, { label, purpose: 'gcm' }).key;
    const sealed = join(dir(), 'second.sealed.json');
    await WrappingKey.createSealed(sealed, key, testRng('hsm-create'));
    const other = generateAesKey(hsm, { label: uniqueLabel('quorum-other'), purpose: 'gcm' }).key;
    await expect(WrappingKey.fromSealed(sealed, other)).rejects.toMatchObject({ code: 'QUORUM_WRAPPING_KEY' });
    const o = JSON.parse(readFileSync(sealed, 'utf8')) as { ciphertext: string };
    const flipped = (o.ciphertext[0] === '0' ? '1' : '0') + o.ciphertext.slice(1);
    writeFileSync(sealed, JSON.stringify({ ...o, ciphertext: flipped }));
    await expect(WrappingKey.fromSealed(sealed, key)).rejects.toMatchObject({ code: 'QUORUM_WRAPPING_KEY' });
    writeFileSync(sealed, '{"format":"other"}');
    await expect(WrappingKey.fromSealed(sealed, key)).rejects.toMatchObject({
      code: 'QUORUM_WRAPPING_KEY',
      message: `${sealed} is not a sealed wrapping key (hrng-quorum-wrapping-key/1)`,
    });
  });
});
