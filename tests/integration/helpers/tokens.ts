/**
 * The tokens scripts/tokens/with-tokens.sh brought up, as the integration tests see them.
 *
 * A token that is not up skips its tests with the reason in the suite's name (visible in the report);
 * when CI=true the same situation is a failure, because CI must exercise the real tokens.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EntropySource } from '../../../crypto/entropy/source.js';
import type { Signer } from '../../../crypto/keys/signer.js';
import type { Logger } from '../../../crypto/log.js';
import { HsmError, Pkcs11Hsm, type Pkcs11Handle } from '../../../hsm/index.js';
import { CKA_CLASS, CKA_ID, CKA_LABEL, CKA_VALUE, CKO_PRIVATE_KEY } from '../../../hsm/constants.js';
import { findObjects } from '../../../hsm/find.js';

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

/** Opens the test token with its PIN file, as every suite does. */
export function openToken(token: TestToken, logger: Logger = recordingLogger()): Promise<Pkcs11Hsm> {
  return Pkcs11Hsm.open({ library: token.module, tokenLabel: token.label, pin: { file: token.pinFile }, logger });
}

/**
 * Opens `token` once for the enclosing suite (before its tests) and closes it after them; `use` receives
 * the open session so the suite can keep it in its own variable.
 */
export function openTokenForSuite(token: TestToken, use: (hsm: Pkcs11Hsm) => void): void {
  let hsm: Pkcs11Hsm | undefined;
  beforeAll(async () => {
    hsm = await openToken(token);
    use(hsm);
  });
  afterAll(async () => {
    await hsm?.close();
  });
}

/** A private scratch directory for the enclosing suite, created before its tests and removed after. */
export function scratchDir(prefix: string): () => string {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error('scratch directory used outside the suite');
    return dir;
  };
}

/** Writes a PIN that is not the token's (the right one with `suffix` appended) to a 0600 file. */
export function wrongPinFile(token: TestToken, dir: string, name: string, suffix: string): { file: string; pin: string } {
  const pin = `${pinOf(token)}${suffix}`;
  const file = join(dir, name);
  writeFileSync(file, pin, { mode: 0o600 });
  return { file, pin };
}

/**
 * Opens the token with a wrong PIN and returns what came back — it must be a typed HsmError — with
 * everything the attempt produced as text (message, stack, cause, every log record) and the wrong PIN,
 * for the caller to check that no PIN is in it.
 */
export async function openWithWrongPin(
  token: TestToken,
  dir: string,
): Promise<{ err: HsmError; output: string; logger: ReturnType<typeof recordingLogger>; wrong: string }> {
  const { file, pin: wrong } = wrongPinFile(token, dir, 'wrong.pin', '9');
  const logger = recordingLogger();
  const err = await Pkcs11Hsm.open({ library: token.module, tokenLabel: token.label, pin: { file }, logger }).then(
    async (hsm) => {
      await hsm.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HsmError);
  const e = err as HsmError;
  const output = [e.message, e.stack ?? '', String(e.cause), inspect(e, { depth: 10 }), ...logger.lines].join('\n');
  return { err: e, output, logger, wrong };
}

/** The handle of the private key with this CKA_ID (hex), found in the handle's current session. */
export function privateKeyHandle(hsm: Pkcs11Hsm, objectIdHex: string): Pkcs11Handle {
  return hsm.run('C_FindObjects', ({ lib, session }) => {
    const [priv] = findObjects(lib, session, [
      { type: CKA_CLASS, value: CKO_PRIVATE_KEY },
      { type: CKA_ID, value: Buffer.from(objectIdHex, 'hex') },
    ]);
    if (priv === undefined) throw new Error(`no private key with id ${objectIdHex}`);
    return priv;
  });
}

/** Tries to read the private key's CKA_VALUE and returns the error it must fail with. */
export function readPrivateValueError(hsm: Pkcs11Hsm, objectIdHex: string): HsmError {
  const priv = privateKeyHandle(hsm, objectIdHex);
  let caught: unknown;
  try {
    hsm.run('C_GetAttributeValue', ({ lib, session }) => lib.C_GetAttributeValue(session, priv, [{ type: CKA_VALUE }]));
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(HsmError);
  return caught as HsmError;
}

/**
 * The objects with this label as OpenSC's pkcs11-tool lists them (one text block each): a client no one
 * here wrote. The PIN reaches it through the environment, never its command line.
 */
export function pkcs11ToolObjects(token: TestToken, label: string): string[] {
  const out = execFileSync(
    'pkcs11-tool',
    ['--module', token.module, '--token-label', token.label, '--login', '--pin', 'env:HRNG_P11TOOL_PIN', '--list-objects'],
    { env: { ...process.env, HRNG_P11TOOL_PIN: pinOf(token) }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return out.split(/\n(?=\S)/).filter((b) => b.includes(`label:      ${label}`));
}

/**
 * Signs `messages` concurrently (queued, on pkcs11js's worker threads) while this thread keeps reading
 * `readBytes` from the token's entropy source between event-loop turns, until every signature is in.
 * Returns the signatures (in message order) and how many reads the loop managed meanwhile.
 */
export async function signWhileReading(
  key: Signer,
  source: EntropySource,
  messages: readonly Uint8Array[],
  readBytes: number,
): Promise<{ signatures: Uint8Array[]; reads: number }> {
  let settled = false;
  const all = Promise.all(messages.map((m) => key.sign(m))).finally(() => {
    settled = true;
  });
  let reads = 0;
  while (!settled) {
    expect(source.read(readBytes).length).toBe(readBytes);
    reads++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { signatures: await all, reads };
}

/** Every object on the token labelled `label` (a test's own, so it can count and inspect them). */
export function labelHandles(hsm: Pkcs11Hsm, label: string): Buffer[] {
  return hsm.run('find', ({ lib, session }) => findObjects(lib, session, [{ type: CKA_LABEL, value: label }]));
}
