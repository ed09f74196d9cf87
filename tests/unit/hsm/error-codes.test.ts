/**
 * hsm/ has one error table, every code it throws is in it, and "invalid argument" is spelled one way.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HSM_ERROR_CODES, check } from '../../../hsm/errors.js';
import { printableTokenString } from '../../../hsm/label.js';

describe('HSM_ERROR_CODES', () => {
  it('lists every HSM_ code the hsm/ sources and cli/pkcs11-options.ts use, and no HSM_BAD_ARGUMENT', () => {
    const root = new URL('../../../hsm/', import.meta.url);
    const files = readdirSync(root)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(new URL(f, root), 'utf8'));
    files.push(readFileSync(new URL('../../../cli/pkcs11-options.ts', import.meta.url), 'utf8'));
    const used = new Set(files.flatMap((text) => [...text.matchAll(/'(HSM_[A-Z_]+)'/g)].map((m) => m[1] ?? '')));
    used.delete('HSM_ERROR_CODES');
    expect([...used].filter((c) => !(c in HSM_ERROR_CODES))).toEqual([]);
    expect(Object.keys(HSM_ERROR_CODES).filter((c) => c.endsWith('ARGUMENT'))).toEqual(['HSM_INVALID_ARGUMENT']);
    expect(files.some((t) => t.includes('HSM_BAD_ARGUMENT'))).toBe(false);
  });

  it('argument checks fail as HSM_INVALID_ARGUMENT naming the parameter', () => {
    expect(() => check.bytes('x', 'plaintext')).toThrow(
      expect.objectContaining({ code: 'HSM_INVALID_ARGUMENT', message: 'plaintext must be a Uint8Array, got string(1)' }),
    );
  });
});

describe('token strings', () => {
  it('lose NUL padding and control characters, keep the text', () => {
    expect(printableTokenString('SoftHSM\0\0\0   ')).toBe('SoftHSM');
    expect(printableTokenString('a\u0007b\u001b[31mc\u009b')).toBe('ab[31mc');
    expect(printableTokenString('  serial 1234  ')).toBe('serial 1234');
  });
});
