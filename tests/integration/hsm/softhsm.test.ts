/**
 * hsm/ against a real SoftHSM2 token (brought up by scripts/tokens/with-tokens.sh): sessions, login
 * failures, the token RNG as an entropy source, Ed25519 keys generated and used inside the token, and an
 * outside client (OpenSC's pkcs11-tool) confirming what was created.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import * as ed from '@noble/ed25519';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../../../crypto/keys/key-id.js';
import {
  Pkcs11EntropySource,
  Pkcs11Hsm,
  deleteObjects,
  findSigningKey,
  generateAesKey,
  generateSigningKey,
  listObjects,
  type SessionContext,
} from '../../../hsm/index.js';
import { CKM_EDDSA } from '../../../hsm/constants.js';
import {
  openToken,
  openWithWrongPin,
  pinOf,
  pkcs11ToolObjects,
  privateKeyHandle,
  readPrivateValueError,
  recordingLogger,
  requireTokenOnCi,
  scratchDir,
  signWhileReading,
  softhsm,
  suiteTitle,
  uniqueLabel,
  wrongPinFile,
} from '../helpers/tokens.js';

requireTokenOnCi(softhsm, 'SoftHSM2');

describe.skipIf(!softhsm.up)(suiteTitle(softhsm, 'SoftHSM2 token'), () => {
  if (!softhsm.up) return;
  const token = softhsm.token;
  const open = (logger = recordingLogger()) => openToken(token, logger);
  let hsm: Pkcs11Hsm;
  const scratch = scratchDir('hrng-softhsm-test-');

  // First, while nothing in this process is logged in, so that the token itself judges the PIN.
  it('rejects a wrong PIN with a typed error, and no PIN appears in the error or the logs', async () => {
    const { err: e, output, logger, wrong } = await openWithWrongPin(token, scratch());
    expect(e.code).toBe('HSM_PIN_INCORRECT');
    expect(e.ckr).toBe('CKR_PIN_INCORRECT');
    expect(e.call).toBe('C_Login');
    expect(e.message).toContain('CKR_PIN_INCORRECT');
    expect(e.message).toContain('C_Login');
    expect(logger.lines.some((l) => l.includes('HSM_PIN_INCORRECT'))).toBe(true);
    expect(output).not.toContain(wrong);
    expect(output).not.toContain(pinOf(token));
    // The failed open left nothing behind: the right PIN still opens the token.
    const ok = await open();
    expect(ok.generateRandom(8).length).toBe(8);
    await ok.close();
  });

  describe('with a logged-in session', () => {
    beforeAll(async () => {
      hsm = await open();
    });
    afterAll(async () => {
      await hsm.close();
    });

    it('opens the token found by its label and lists Ed25519 among its mechanisms', () => {
      const info = hsm.tokenInfo();
      expect(info.label).toBe(token.label);
      expect(info.manufacturer).toBe('SoftHSM project');
      expect(info.hasRng).toBe(true);
      expect(hsm.supports(CKM_EDDSA)).toBe(true);
    });

    it('returns random bytes of the requested length that differ between calls', () => {
      const a = hsm.generateRandom(32);
      const b = hsm.generateRandom(32);
      expect(a).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(a)).toBe(false);
      expect(a.length).toBe(32);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
      expect(a.some((x) => x !== 0)).toBe(true);
    });

    it('serves as the entropy source pkcs11:<label>, reading in small chunks', () => {
      const source = new Pkcs11EntropySource(hsm);
      expect(source.id).toBe(`pkcs11:${token.label}`);
      expect(source.kind).toBe('conditioned');
      expect(source.creditBitsPerByte).toBe(4);
      expect(source.available()).toBe(true);
      const seed = source.read(100);
      expect(seed.length).toBe(100);
      expect(new Set(seed).size).toBeGreaterThan(40);
      expect(() => source.read(0)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
      expect(() => source.read(1_000_000)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    });

    it('generates an Ed25519 key in the token whose signatures verify with @noble/ed25519', async () => {
      const label = uniqueLabel('ed');
      const { key, fallback } = generateSigningKey(hsm, { label });
      expect(fallback).toBe(false);
      expect(key.scheme).toBe('ed25519');
      expect(key.publicKey.length).toBe(32);
      expect(key.keyId).toBe(keyIdOf('ed25519', key.publicKey));
      expect(key.objectId).toMatch(/^68726e67[0-9a-f]{24}$/);
      const message = new TextEncoder().encode('prevote height=42 round=0');
      const signature = await key.sign(message);
      expect(signature.length).toBe(64);
      expect(await ed.verifyAsync(signature, message, key.publicKey)).toBe(true);
      expect(key.verify(message, signature)).toBe(true);
      const other = message.slice();
      other[0] = (other[0] ?? 0) ^ 1;
      expect(await ed.verifyAsync(signature, other, key.publicKey)).toBe(false);
      // Ed25519 is deterministic (RFC 8032 §5.1.6): the token must agree with itself.
      expect(Buffer.from(await key.sign(message)).equals(Buffer.from(signature))).toBe(true);
    });

    it('finds a key by label and by id, lists it, and deletes only what was asked', async () => {
      const label = uniqueLabel('find');
      const { key } = generateSigningKey(hsm, { label });
      const byLabel = findSigningKey(hsm, { label });
      const byId = findSigningKey(hsm, { id: key.objectId });
      expect(Buffer.from(byLabel.publicKey).equals(Buffer.from(key.publicKey))).toBe(true);
      expect(byId.keyId).toBe(key.keyId);
      const message = Uint8Array.of(1, 2, 3);
      expect(await ed.verifyAsync(await byLabel.sign(message), message, key.publicKey)).toBe(true);
      const listed = listObjects(hsm).filter((o) => o.label === label);
      expect(listed.map((o) => o.kind).sort()).toEqual(['private-key', 'public-key']);
      expect(listed.every((o) => o.keyType === 'ed25519' && o.id === key.objectId)).toBe(true);
      expect(() => generateSigningKey(hsm, { label })).toThrow(expect.objectContaining({ code: 'HSM_KEY_EXISTS' }));
      expect(deleteObjects(hsm, { label })).toBe(2);
      expect(() => findSigningKey(hsm, { label })).toThrow(expect.objectContaining({ code: 'HSM_KEY_NOT_FOUND' }));
      expect(deleteObjects(hsm, { label })).toBe(0);
    });

    it('keeps the private key in the token: reading CKA_VALUE fails', () => {
      const { key } = generateSigningKey(hsm, { label: uniqueLabel('noextract') });
      expect(readPrivateValueError(hsm, key.objectId)).toMatchObject({
        code: 'HSM_KEY_NOT_EXTRACTABLE',
        ckr: 'CKR_ATTRIBUTE_SENSITIVE',
        call: 'C_GetAttributeValue',
      });
    });

    it('keeps the PIN out of inspect and JSON output of the handle and of everything that holds it', async () => {
      // The PIN in an environment variable: the handle keeps that environment to log in again.
      const env = { HRNG_TEST_ENV_PIN: readFileSync(token.pinFile, 'utf8') };
      const own = await Pkcs11Hsm.open({ library: token.module, tokenLabel: token.label, pin: { env: 'HRNG_TEST_ENV_PIN' }, env });
      try {
        const holders = {
          hsm: own,
          source: new Pkcs11EntropySource(own),
          key: generateSigningKey(own, { label: uniqueLabel('inspect') }).key,
          aes: generateAesKey(own, { label: uniqueLabel('inspect-aes'), purpose: 'gcm' }),
        };
        for (const [name, holder] of Object.entries(holders)) {
          for (const text of [inspect(holder, { depth: Infinity, showHidden: true }), JSON.stringify(holder), String(holder)]) {
            expect(text, name).not.toContain(pinOf(token));
          }
        }
        expect(inspect(own)).toContain(token.label);
        expect(JSON.parse(JSON.stringify(own))).toEqual({ token: token.label, library: own.library, closed: false });
      } finally {
        await own.close();
      }
    });

    it('returns plain Uint8Arrays that are copies, and signs the message as it was when sign() was called', async () => {
      const { key } = generateSigningKey(hsm, { label: uniqueLabel('copies') });
      const message = Buffer.from('precommit height=7 round=1 block=cc');
      const original = Uint8Array.from(message);
      const pending = key.sign(message);
      // The caller reuses its buffer while the token signs on a worker thread.
      message.fill(0x41);
      const signature = await pending;
      expect(Buffer.isBuffer(signature)).toBe(false);
      expect(Buffer.isBuffer(key.publicKey)).toBe(false);
      expect(await ed.verifyAsync(signature, original, key.publicKey)).toBe(true);
    });

    it('replaces the session after an unexpected (non-PKCS#11) error left an operation active', () => {
      const { key } = generateSigningKey(hsm, { label: uniqueLabel('unexpected') });
      const priv = privateKeyHandle(hsm, key.objectId);
      const boom = new TypeError('a bug between C_SignInit and C_Sign');
      expect(() =>
        hsm.run('C_Sign', ({ lib, session }) => {
          lib.C_SignInit(session, { mechanism: CKM_EDDSA }, priv);
          throw boom;
        }),
      ).toThrow(expect.objectContaining({ code: 'HSM_OPERATION_FAILED', call: 'C_Sign', cause: boom }));
      // Without the replacement the session would answer CKR_OPERATION_ACTIVE here.
      const message = Uint8Array.of(4, 2);
      const signature = hsm.run('C_Sign', ({ lib, session }) => {
        lib.C_SignInit(session, { mechanism: CKM_EDDSA }, priv);
        return new Uint8Array(lib.C_Sign(session, Buffer.from(message), Buffer.alloc(64)));
      });
      expect(key.verify(message, signature)).toBe(true);
    });

    it('refuses a second open in this process with a PIN other than the one the slot is logged in with', async () => {
      const { file: wrongFile } = wrongPinFile(token, scratch(), 'other.pin', '0');
      const logger = recordingLogger();
      await expect(
        Pkcs11Hsm.open({ library: token.module, tokenLabel: token.label, pin: { file: wrongFile }, logger }),
      ).rejects.toMatchObject({
        code: 'HSM_PIN_INCORRECT',
        call: 'C_Login',
      });
      expect(logger.lines.join('\n')).not.toContain(pinOf(token));
      expect(hsm.generateRandom(8).length).toBe(8);
    });

    it('names the missing token, library and PIN source in typed errors', async () => {
      await expect(
        Pkcs11Hsm.open({ library: token.module, tokenLabel: 'no-such-token', pin: { file: token.pinFile } }),
      ).rejects.toMatchObject({
        code: 'HSM_TOKEN_NOT_FOUND',
        message: expect.stringContaining(`'${token.label}'`),
      });
      await expect(
        Pkcs11Hsm.open({ library: join(scratch(), 'missing.so'), tokenLabel: token.label, pin: { file: token.pinFile } }),
      ).rejects.toMatchObject({
        code: 'HSM_LIBRARY_LOAD_FAILED',
      });
      await expect(
        Pkcs11Hsm.open({ library: token.module, tokenLabel: token.label, pin: { env: 'HRNG_TEST_UNSET_PIN_VAR' }, env: {} }),
      ).rejects.toMatchObject({
        code: 'HSM_PIN_SOURCE',
        message: expect.stringContaining('HRNG_TEST_UNSET_PIN_VAR'),
      });
    });

    it('replaces a session a failed operation left wedged, and keeps signing', async () => {
      const { key } = generateSigningKey(hsm, { label: uniqueLabel('wedge') });
      const logger = recordingLogger();
      const own = await open(logger);
      const again = findSigningKey(own, { id: key.objectId });
      const privateHandle = privateKeyHandle(own, key.objectId);
      // Sign an empty buffer by hand: SoftHSM answers CKR_ARGUMENTS_BAD and leaves CKR_OPERATION_ACTIVE.
      const wedge = ({ lib, session }: SessionContext): void => {
        lib.C_SignInit(session, { mechanism: CKM_EDDSA }, privateHandle);
        lib.C_Sign(session, Buffer.alloc(0), Buffer.alloc(64));
      };
      expect(() => own.run('C_Sign', wedge)).toThrow(
        expect.objectContaining({ code: 'HSM_INVALID_ARGUMENT', ckr: 'CKR_ARGUMENTS_BAD', call: 'C_Sign' }),
      );
      expect(logger.lines.some((l) => l.includes('replacing the session'))).toBe(true);
      // The main session was replaced: a full C_SignInit/C_Sign works in it now.
      const message = Uint8Array.of(9, 9, 9);
      const manual = own.run('C_Sign', ({ lib, session }) => {
        lib.C_SignInit(session, { mechanism: CKM_EDDSA }, privateHandle);
        return new Uint8Array(lib.C_Sign(session, Buffer.from(message), Buffer.alloc(64)));
      });
      expect(await ed.verifyAsync(manual, message, key.publicKey)).toBe(true);
      // The same in the session async signing uses: discarded, and the next signature opens a new one.
      await expect(own.runAsync('C_Sign', async (ctx) => wedge(ctx))).rejects.toMatchObject({
        code: 'HSM_INVALID_ARGUMENT',
        ckr: 'CKR_ARGUMENTS_BAD',
      });
      expect(await ed.verifyAsync(await again.sign(message), message, key.publicKey)).toBe(true);
      await own.close();
    });

    it('signs concurrently (queued in their own session) while entropy is read, and close waits for them', async () => {
      const { key } = generateSigningKey(hsm, { label: uniqueLabel('concurrent') });
      const own = await open();
      const mine = findSigningKey(own, { id: key.objectId });
      const source = new Pkcs11EntropySource(own);
      const messages = Array.from({ length: 16 }, (_, i) => new TextEncoder().encode(`vote ${i}`));
      // Phase 1: signatures run on worker threads in their own session while this thread reads entropy
      // from the main session.
      const { signatures: first, reads } = await signWhileReading(mine, source, messages, 64);
      expect(reads).toBeGreaterThan(0);
      // Phase 2: close() while signatures are queued: they complete, later requests are refused.
      const pending = messages.map((m) => mine.sign(m));
      const closing = own.close();
      expect(own.closed).toBe(true);
      await expect(mine.sign(messages[0] as Uint8Array)).rejects.toMatchObject({ code: 'HSM_CLOSED' });
      const signatures = [...first, ...(await Promise.all(pending))];
      await closing;
      for (const [i, sig] of signatures.entries()) {
        expect(await ed.verifyAsync(sig, messages[i % messages.length] as Uint8Array, key.publicKey)).toBe(true);
      }
      expect(() => source.read(32)).toThrow(expect.objectContaining({ code: 'ENTROPY_SOURCE_UNAVAILABLE' }));
    });

    it('shares the process-wide library: closing one handle leaves the other working; close is idempotent', async () => {
      const second = await open();
      const { key } = generateSigningKey(second, { label: uniqueLabel('shared') });
      await second.close();
      await second.close();
      expect(second.closed).toBe(true);
      expect(() => second.generateRandom(8)).toThrow(expect.objectContaining({ code: 'HSM_CLOSED' }));
      // The first handle is still logged in and can use the key the second made.
      const same = findSigningKey(hsm, { id: key.objectId });
      const message = Uint8Array.of(7);
      expect(await ed.verifyAsync(await same.sign(message), message, key.publicKey)).toBe(true);
    });

    it("shows the created objects to OpenSC's pkcs11-tool", () => {
      const label = uniqueLabel('opensc');
      const { key } = generateSigningKey(hsm, { label });
      const blocks = pkcs11ToolObjects(token, label);
      expect(blocks.length).toBe(2);
      const priv = blocks.find((b) => b.startsWith('Private Key Object'));
      const pub = blocks.find((b) => b.startsWith('Public Key Object'));
      expect(blocks.map((b) => b.split(' Object')[0]).sort()).toEqual(['Private Key', 'Public Key']);
      for (const b of blocks) expect(b).toContain(`ID:         ${key.objectId}`);
      expect(priv).toMatch(/Usage:\s+sign\n/);
      expect(priv).toContain('Access:     sensitive, always sensitive, never extractable, local');
      expect(pub).toMatch(/Usage:\s+verify\n/);
    });
  });
});
