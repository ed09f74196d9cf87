import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HsmError } from '../../../hsm/errors.js';
import { checkObjectLabel, padTokenLabel, trimTokenLabel } from '../../../hsm/label.js';
import { describePinSource, parsePinSource, pinFileIsExposed, readPin, stripLineEnding } from '../../../hsm/pin.js';

describe('token labels (CK_TOKEN_INFO.label: 32 bytes, space padded)', () => {
  it('pads to 32 bytes with spaces', () => {
    const padded = padTokenLabel('hrng-tpm');
    expect(padded.length).toBe(32);
    expect(Buffer.from(padded).toString('latin1')).toBe('hrng-tpm' + ' '.repeat(24));
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(padTokenLabel('é'.repeat(16)).length).toBe(32);
    expect(() => padTokenLabel('é'.repeat(17))).toThrow(expect.objectContaining({ code: 'HSM_INVALID_ARGUMENT' }));
    expect(() => padTokenLabel('')).toThrow(HsmError);
    expect(() => padTokenLabel('x'.repeat(33))).toThrow(/33 bytes/);
  });

  it('trims trailing spaces and NULs only', () => {
    expect(trimTokenLabel('hrng-softhsm                    ')).toBe('hrng-softhsm');
    expect(trimTokenLabel('a b\0\0')).toBe('a b');
    expect(trimTokenLabel('  lead')).toBe('  lead');
  });

  it('accepts printable object labels only', () => {
    expect(checkObjectLabel('validator-0')).toBe('validator-0');
    expect(() => checkObjectLabel('')).toThrow(HsmError);
    expect(() => checkObjectLabel('a\nb')).toThrow(HsmError);
    expect(() => checkObjectLabel('x'.repeat(129))).toThrow(HsmError);
  });
});

describe('PIN sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hrng-pin-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parses env:NAME and file:PATH', () => {
    expect(parsePinSource('env:HRNG_PKCS11_PIN')).toEqual({ env: 'HRNG_PKCS11_PIN' });
    expect(parsePinSource('file:/run/secrets/pin')).toEqual({ file: '/run/secrets/pin' });
    expect(parsePinSource('file:rel/with:colon')).toEqual({ file: 'rel/with:colon' });
  });

  it('refuses anything else without echoing it (it may be the PIN itself)', () => {
    for (const bad of ['123456', 'pin:123456', 'env:', 'env:1BAD', 'env:A-B', 'file:']) {
      let caught: unknown;
      try {
        parsePinSource(bad);
      } catch (e) {
        caught = e;
      }
      expect(caught, bad).toBeInstanceOf(HsmError);
      expect((caught as HsmError).code).toBe('HSM_PIN_SOURCE');
      for (const secretish of ['123456', '1BAD', 'A-B']) expect((caught as HsmError).message).not.toContain(secretish);
    }
  });

  it('reads from the given environment, naming the variable (not the value) when missing or empty', () => {
    const env: Record<string, string | undefined> = { P1: '4321', P3: '' };
    expect(readPin({ env: 'P1' }, env)).toBe('4321');
    // Taken once: removed from the environment, and the owned copy serves later reads.
    expect(env['P1']).toBeUndefined();
    expect(readPin({ env: 'P1' }, env)).toBe('4321');
    expect(() => readPin({ env: 'P2' }, {})).toThrow(/environment variable P2 is not set/);
    expect(() => readPin({ env: 'P3' }, env)).toThrow(/is empty/);
    expect(describePinSource({ env: 'P' })).toBe('environment variable P');
  });

  it('reads a file, dropping one trailing line ending', () => {
    const f = join(dir, 'pin');
    writeFileSync(f, '987654\n', { mode: 0o600 });
    expect(readPin({ file: f })).toBe('987654');
    writeFileSync(f, '987654\r\n');
    expect(readPin({ file: f })).toBe('987654');
    writeFileSync(f, ' 9876 54\n\n');
    expect(readPin({ file: f })).toBe(' 9876 54\n');
    expect(stripLineEnding('x')).toBe('x');
    expect(() => readPin({ file: join(dir, 'absent') })).toThrow(/ENOENT/);
  });

  it('flags a PIN file others can read', () => {
    const f = join(dir, 'open-pin');
    writeFileSync(f, '1');
    chmodSync(f, 0o644);
    expect(pinFileIsExposed(f)).toBe(true);
    chmodSync(f, 0o600);
    expect(pinFileIsExposed(f)).toBe(false);
  });
});
