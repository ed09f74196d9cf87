/**
 * A PIN from the environment is taken once: copied into owned memory, removed from process.env, so a
 * child process started afterwards has no PIN; later logins use the owned copy.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pkcs11ConfigFromEnv } from '../../../cli/pkcs11-options.js';
import { envPinTaken, readPin, takeEnvPin } from '../../../hsm/pin.js';

describe('PIN from the environment', () => {
  it('is removed from process.env at first use; a child started afterwards gets no PIN', () => {
    const name = 'HRNG_TEST_PIN_TAKEN_ONCE';
    process.env[name] = '246810';
    const before = spawnSync(process.execPath, ['-e', `process.stdout.write(process.env.${name} ?? 'absent')`], { encoding: 'utf8' });
    expect(before.stdout).toBe('246810');
    expect(readPin({ env: name })).toBe('246810');
    expect(process.env[name]).toBeUndefined();
    expect(Object.keys(process.env)).not.toContain(name);
    const after = spawnSync(process.execPath, ['-e', `process.stdout.write(process.env.${name} ?? 'absent')`], { encoding: 'utf8' });
    expect(after.stdout).toBe('absent');
    // Re-login after a session reset reads the owned copy.
    expect(readPin({ env: name })).toBe('246810');
    expect(envPinTaken(name)).toBe(true);
    // Held in a Secret: never printed.
    expect(String(takeEnvPin(name))).toBe('Secret(6 bytes, redacted)');
  });

  it('the CLI configuration still sees an env PIN that an earlier open took', () => {
    const env: Record<string, string | undefined> = { HRNG_PKCS11_LIBRARY: '/x.so', HRNG_PKCS11_TOKEN: 't', HRNG_PKCS11_PIN: '1357' };
    expect(pkcs11ConfigFromEnv(env).pin).toEqual({ env: 'HRNG_PKCS11_PIN' });
    expect(readPin({ env: 'HRNG_PKCS11_PIN' }, env)).toBe('1357');
    expect(env['HRNG_PKCS11_PIN']).toBeUndefined();
    expect(pkcs11ConfigFromEnv(env).pin).toEqual({ env: 'HRNG_PKCS11_PIN' });
  });
});
