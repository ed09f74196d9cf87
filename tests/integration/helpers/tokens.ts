/**
 * The tokens scripts/tokens/with-tokens.sh brought up, as the integration tests see them.
 *
 * A token that is not up skips its tests with the reason in the suite's name (visible in the report);
 * when CI=true the same situation is a failure, because CI must exercise the real tokens.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import type { Logger } from '../../../crypto/log.js';

export interface TestToken {
  readonly name: 'SoftHSM2' | 'TPM';
  readonly module: string;
  readonly label: string;
  readonly pinFile: string;
  /** The TPM's TCTI string (swtpm:host=…,port=…); TPM only. */
  readonly tcti?: string;
}

export type TokenStatus = { readonly up: true; readonly token: TestToken } | { readonly up: false; readonly reason: string };

const NOT_WRAPPED = 'token environment not set: run through `npm run test:integration` (scripts/tokens/with-tokens.sh)';

function status(name: TestToken['name'], prefix: string): TokenStatus {
  const env = process.env;
  const skip = env[`${prefix}_SKIP`];
  if (skip !== undefined && skip !== '') return { up: false, reason: skip };
  const module = env[`${prefix}_MODULE`];
  const label = env[`${prefix}_LABEL`];
  const pinFile = env[`${prefix}_PIN_FILE`];
  if (module === undefined || label === undefined || pinFile === undefined) return { up: false, reason: NOT_WRAPPED };
  const tcti = env[`${prefix}_TCTI`];
  return { up: true, token: { name, module, label, pinFile, ...(tcti === undefined ? {} : { tcti }) } };
}

export const softhsm: TokenStatus = status('SoftHSM2', 'HRNG_TEST_SOFTHSM');
export const tpm: TokenStatus = status('TPM', 'HRNG_TEST_TPM');

export const onCi = process.env['CI'] === 'true';

/** The suite title: says why it is skipped, so the skip is visible in every reporter. */
export function suiteTitle(s: TokenStatus, what: string): string {
  return s.up ? what : `${what} — SKIPPED: ${s.reason}`;
}

/** On CI an unavailable token fails the run; elsewhere it registers nothing (the suite is skipped). */
export function requireTokenOnCi(s: TokenStatus, name: string): void {
  if (s.up) return;
  if (!onCi) {
    // Printed by vitest with the file name: a skip nobody sees is a silent pass.
    console.warn(`${name} integration tests SKIPPED: ${s.reason}`);
    return;
  }
  it(`${name} token is available (required when CI=true)`, () => {
    throw new Error(`${name} token unavailable on CI: ${s.reason}`);
  });
}

export function pinOf(token: TestToken): string {
  return readFileSync(token.pinFile, 'utf8');
}

/** A logger that keeps every record as JSON text, for asserting what was (and was not) logged. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (obj: object, msg?: string) => {
    lines.push(JSON.stringify({ level, msg, ...obj }));
  };
  return { lines, debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

/** A label unique to this run, so a rerun on a kept token never collides. */
export function uniqueLabel(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/**
 * Flushes every transient object and loaded session from the TPM. swtpm without a resource manager
 * keeps what a finished client loaded and has three transient slots; tests call this whenever this
 * process holds no TPM session, so that each phase starts with the slots free.
 */
export function flushTpm(token: TestToken): void {
  if (token.tcti === undefined) return;
  for (const what of ['--transient-object', '--loaded-session']) {
    execFileSync('tpm2_flushcontext', [what, '-T', token.tcti], { stdio: 'ignore' });
  }
}

/** Runs tpm2_dictionarylockout against the test TPM (its lockout authorization is empty on fresh state). */
export function tpmDictionaryLockout(token: TestToken, args: readonly string[]): void {
  if (token.tcti === undefined) throw new Error('no TPM TCTI in the environment');
  execFileSync('tpm2_dictionarylockout', [...args, '-T', token.tcti], { stdio: 'ignore' });
}
