/**
 * PKCS#11 configuration from the environment, shared by `hrng hsm …` and `hrng status --source pkcs11`.
 *
 *   HRNG_PKCS11_LIBRARY   path of the vendor's PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so)
 *   HRNG_PKCS11_TOKEN     token label (as C_GetTokenInfo reports it, without padding)
 *   HRNG_PKCS11_PIN       the user PIN itself, in the environment                       } exactly
 *   HRNG_PKCS11_PIN_FILE  path of a file holding the user PIN (one trailing newline ok)  } one of these
 *   HRNG_PKCS11_CREDIT_BITS  optional: entropy credit per byte for the token's RNG (0–8, default 4)
 *
 * The PIN is never a command-line argument (visible in /proc/<pid>/cmdline and shell history). The file is
 * preferred (hsm/pin.ts says why); a PIN in HRNG_PKCS11_PIN is taken into owned memory at the first open
 * and removed from the environment, so child processes never see it. A PIN file that group or others can
 * read is warned about on stderr, by default.
 */
import type { EntropySource } from '../crypto/entropy/index.js';
import { envPinTaken, HsmError, Pkcs11EntropySource, Pkcs11Hsm, type PinSource, type ProtectionReport } from '../hsm/index.js';
import { warnIfExposed } from './file-permissions.js';
import type { CliIo } from './io.js';
import type { Logger } from '../crypto/index.js';

export type Env = Readonly<Record<string, string | undefined>>;

export const PKCS11_ENV = {
  library: 'HRNG_PKCS11_LIBRARY',
  token: 'HRNG_PKCS11_TOKEN',
  pin: 'HRNG_PKCS11_PIN',
  pinFile: 'HRNG_PKCS11_PIN_FILE',
  creditBits: 'HRNG_PKCS11_CREDIT_BITS',
} as const;

export interface Pkcs11EnvConfig {
  readonly library: string;
  readonly tokenLabel: string;
  readonly pin: PinSource;
  readonly creditBitsPerByte: number | undefined;
}

function required(env: Env, name: string, what: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new HsmError('HSM_CONFIG', `${name} is not set (${what})`);
  }
  return value.trim();
}

/** Reads and checks the variables; the PIN's value is not read here, only where it lives. */
export function pkcs11ConfigFromEnv(env: Env): Pkcs11EnvConfig {
  const library = required(env, PKCS11_ENV.library, "path of the token vendor's PKCS#11 module");
  const tokenLabel = required(env, PKCS11_ENV.token, 'label of the token to use');
  const pinFile = env[PKCS11_ENV.pinFile];
  // A PIN an earlier open in this process already took (and removed from the environment) is still the
  // source — unless a PIN file is configured now, which then is the one source.
  const hasPin = env[PKCS11_ENV.pin] !== undefined || (envPinTaken(PKCS11_ENV.pin) && pinFile === undefined);
  if (hasPin && pinFile !== undefined) {
    throw new HsmError('HSM_CONFIG', `both ${PKCS11_ENV.pin} and ${PKCS11_ENV.pinFile} are set; set exactly one`);
  }
  if (!hasPin && (pinFile === undefined || pinFile.trim() === '')) {
    throw new HsmError('HSM_CONFIG', `neither ${PKCS11_ENV.pin} (the user PIN) nor ${PKCS11_ENV.pinFile} (a file holding it) is set`);
  }
  const pin: PinSource = hasPin ? { env: PKCS11_ENV.pin } : { file: (pinFile as string).trim() };
  const creditText = env[PKCS11_ENV.creditBits];
  let creditBitsPerByte: number | undefined;
  if (creditText !== undefined && creditText.trim() !== '') {
    creditBitsPerByte = Number(creditText);
    if (!Number.isFinite(creditBitsPerByte) || creditBitsPerByte < 0 || creditBitsPerByte > 8) {
      throw new HsmError('HSM_CONFIG', `${PKCS11_ENV.creditBits} must be a number within 0..8`);
    }
  }
  return { library, tokenLabel, pin, creditBitsPerByte };
}

export interface OpenFromEnvOptions {
  readonly logger?: Logger;
  /** Where the PIN-file permission warning goes (the command's stderr); with a command name for the prefix. */
  readonly warnings?: { readonly io: CliIo; readonly command: string };
}

function isLogger(x: Logger | OpenFromEnvOptions): x is Logger {
  return typeof (x as Partial<Logger>).warn === 'function';
}

export async function openPkcs11FromEnv(env: Env, loggerOrOptions?: Logger | OpenFromEnvOptions): Promise<Pkcs11Hsm> {
  // A bare Logger is the older call shape (hrng status, hrng sign); keep it working.
  const opts: OpenFromEnvOptions =
    loggerOrOptions === undefined ? {} : isLogger(loggerOrOptions) ? { logger: loggerOrOptions } : loggerOrOptions;
  const logger = opts.logger;
  const config = pkcs11ConfigFromEnv(env);
  if (opts.warnings !== undefined && 'file' in config.pin)
    warnIfExposed(opts.warnings.io, opts.warnings.command, config.pin.file, 'PIN file');
  return Pkcs11Hsm.open({
    library: config.library,
    tokenLabel: config.tokenLabel,
    pin: config.pin,
    env,
    ...(logger === undefined ? {} : { logger }),
  });
}

/** The token's RNG as an entropy source; `close()` ends the session (and finalizes if it was the last). */
export async function pkcs11SourceFromEnv(env: Env, logger?: Logger): Promise<{ source: EntropySource; close(): Promise<void> }> {
  const config = pkcs11ConfigFromEnv(env);
  const hsm = await openPkcs11FromEnv(env, logger);
  try {
    const source = new Pkcs11EntropySource(
      hsm,
      config.creditBitsPerByte === undefined ? {} : { creditBitsPerByte: config.creditBitsPerByte },
    );
    return { source, close: () => hsm.close() };
  } catch (err) {
    await hsm.close();
    throw err;
  }
}

/**
 * Says on stderr, whatever the output format, each protection the token refused when a key was generated
 * (hsm/key-policy.ts reports them rather than failing): the operator asked for it and the key lacks it.
 */
export function warnRefusedProtections(
  io: CliIo,
  made: { readonly command: string; readonly token: string; readonly protections: ProtectionReport },
): void {
  for (const p of made.protections.refused) {
    io.stderr.write(
      `${made.command}: warning: token '${made.token}' refused CKA_${p.toUpperCase()}=false; the key was generated without it\n`,
    );
  }
}
