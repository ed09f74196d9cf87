/**
 * A logged-in PKCS#11 session on one token, found by label (PKCS#11 v3.0 §5.6 session management,
 * §5.6 C_Login / C_Logout, §5.15 C_GenerateRandom).
 *
 * Every token call goes through `run`, which turns failures into `HsmError`s naming the CKR and the call,
 * and, after a PKCS#11 failure or any other unexpected error, replaces the session: a failed operation
 * (or code of ours that threw between C_SignInit and C_Sign) can leave the old one in
 * CKR_OPERATION_ACTIVE for every later call (SoftHSM does after a failed C_Sign). The replacement is
 * opened before the old one closes, so the slot's login (shared by all sessions of the process) survives;
 * if it did not, the PIN is read again from its source: a PIN file is re-read; a PIN from the environment
 * comes from the owned copy hsm/pin.ts took at the first open (the variable itself is gone by then).
 */
import { inspect } from 'node:util';
import { silentLogger, type Logger } from '../crypto/index.js';
import { CKF_RW_SESSION, CKF_SERIAL_SESSION, CKS_RO_USER_FUNCTIONS, CKS_RW_USER_FUNCTIONS, CKU_USER } from './constants.js';
import { HsmError, asPkcs11Failure, check, hsmErrorFrom } from './errors.js';
import {
  acquireLibrary,
  addLogin,
  dropLogin,
  forgetLogin,
  releaseLibrary,
  type LoadedLibrary,
  type Pkcs11Handle,
  type Pkcs11Lib,
} from './library.js';
import { describePinSource, pinFileIsExposed, readPin, type PinSource } from './pin.js';
import { copyAndZero } from './bytes.js';
import { findSlotByLabel, mechanismList, readTokenInfo, type TokenInfo } from './token.js';

export interface Pkcs11HsmOptions {
  /** Path of the vendor's PKCS#11 module (a shared library). */
  readonly library: string;
  /** CKA token label (trimmed); slot ids are not used because they change. */
  readonly tokenLabel: string;
  /** Where the user PIN is read from. */
  readonly pin: PinSource;
  readonly logger?: Logger;
  /**
   * Environment that `{ env }` PIN sources read; process.env by default. The PIN variable is removed from
   * it (and from process.env) at the first open: see hsm/pin.ts.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What a call through `run` is handed: the raw C_* functions and the current session handle. */
export interface SessionContext {
  readonly lib: Pkcs11Lib;
  readonly session: Pkcs11Handle;
}

export class Pkcs11Hsm {
  readonly library: string;
  readonly tokenLabel: string;
  /** CK_INFO.manufacturerID of the library (e.g. 'SoftHSM', 'tpm2-software.github.io'). */
  readonly libraryManufacturer: string;
  /** Mechanisms the token lists (C_GetMechanismList), read once at open. */
  readonly mechanisms: ReadonlySet<number>;
  private readonly loaded: LoadedLibrary;
  private readonly slot: Pkcs11Handle;
  private readonly slotKey: string;
  private readonly pin: PinSource;
  /**
   * The environment a `{ env }` PIN source is read from — it holds the PIN itself. An ES private field,
   * so that no `util.inspect`, `console.log` or `JSON.stringify` of this object (or of a key, source or
   * error that refers to it) can print it; see also `[inspect.custom]` and `toJSON` below.
   */
  readonly #env: Readonly<Record<string, string | undefined>>;
  private readonly logger: Logger;
  private session: Pkcs11Handle | undefined;
  /** The second session `runAsync` works in, opened on first use. */
  private asyncSession: Pkcs11Handle | undefined;
  /** Async operations run one at a time, in call order; close() waits for the last. */
  private queue: Promise<void> = Promise.resolve();
  private closing = false;
  private closeError: HsmError | undefined;

  private constructor(o: {
    options: Pkcs11HsmOptions;
    loaded: LoadedLibrary;
    slot: Pkcs11Handle;
    session: Pkcs11Handle;
    mechanisms: ReadonlySet<number>;
    logger: Logger;
  }) {
    this.library = o.loaded.path;
    this.tokenLabel = o.options.tokenLabel;
    this.libraryManufacturer = o.loaded.manufacturer;
    this.loaded = o.loaded;
    this.slot = o.slot;
    this.slotKey = o.slot.toString('hex');
    this.session = o.session;
    this.mechanisms = o.mechanisms;
    this.pin = o.options.pin;
    this.#env = o.options.env ?? process.env;
    this.logger = o.logger;
  }

  /** Loads the library (shared per process), finds the token by label, opens a session and logs in. */
  static async open(options: Pkcs11HsmOptions): Promise<Pkcs11Hsm> {
    const logger = options.logger ?? silentLogger;
    const env = options.env ?? process.env;
    // Read the PIN first: a missing source is a configuration error that should not cost a token login.
    let pin: string | undefined = readPin(options.pin, env);
    if ('file' in options.pin && pinFileIsExposed(options.pin.file)) {
      logger.warn({ pinSource: describePinSource(options.pin) }, 'PIN file is readable by group or others; chmod 600 it');
    }
    const loaded = acquireLibrary(options.library);
    let session: Pkcs11Handle | undefined;
    let slotKey: string | undefined;
    try {
      const { slot, info } = findSlotByLabel(loaded.lib, options.tokenLabel);
      if (info.userPinLocked) {
        throw new HsmError('HSM_PIN_LOCKED', `token '${info.label}': the user PIN is locked; not attempting a login`, {
          ckr: 'CKR_PIN_LOCKED',
        });
      }
      if (info.userPinFinalTry) {
        logger.warn({ token: info.label }, 'token reports one PIN attempt left before it locks');
      }
      const mechanisms = mechanismList(loaded.lib, slot);
      session = openSession(loaded.lib, slot);
      const check = addLogin(loaded, slot.toString('hex'), pin);
      if (check === 'different-pin') {
        throw new HsmError('HSM_PIN_INCORRECT', `token '${info.label}': the PIN differs from the one this process is logged in with`, {
          call: 'C_Login',
        });
      }
      if (check === 'first') {
        try {
          if (login(loaded.lib, session, pin, info.label) === 'already') {
            logger.warn(
              { token: info.label },
              'slot was already logged in by other code in this process; the token did not check this PIN',
            );
          }
        } catch (err) {
          forgetLogin(loaded, slot.toString('hex'));
          throw err;
        }
      }
      slotKey = slot.toString('hex');
      pin = undefined;
      logger.info(
        { library: loaded.path, token: info.label, slotId: info.slotId, manufacturer: info.manufacturer, model: info.model },
        'PKCS#11 token session opened',
      );
      return new Pkcs11Hsm({ options, loaded, slot, session, mechanisms, logger });
    } catch (err) {
      pin = undefined;
      if (slotKey !== undefined) dropLogin(loaded, slotKey);
      if (session !== undefined) closeQuietly(loaded.lib, session);
      releaseLibrary(loaded);
      const mapped = hsmErrorFrom(err, 'open');
      logger.error(
        { library: loaded.path, token: options.tokenLabel, code: mapped.code, ckr: mapped.ckr, call: mapped.call },
        'PKCS#11 open failed',
      );
      throw mapped;
    }
  }

  get closed(): boolean {
    return this.closing || this.session === undefined;
  }

  supports(mechanism: number): boolean {
    return this.mechanisms.has(mechanism);
  }

  tokenInfo(): TokenInfo {
    return this.run('C_GetTokenInfo', ({ lib }) => readTokenInfo(lib, this.slot));
  }

  /** `bytes` bytes from the token's generator (C_GenerateRandom). Keep requests small: the call blocks. */
  generateRandom(bytes: number): Uint8Array {
    check.integer(bytes, 'random length', { min: 1 });
    return this.run('C_GenerateRandom', ({ lib, session }) => {
      const out = lib.C_GenerateRandom(session, Buffer.alloc(bytes));
      if (out.length !== bytes)
        throw new HsmError('HSM_OPERATION_FAILED', `C_GenerateRandom returned ${out.length} of ${bytes} bytes`, {
          call: 'C_GenerateRandom',
        });
      return copyAndZero(out);
    });
  }

  /**
   * Runs `fn` with the session. `call` names the operation for errors when the library does not say
   * which C_ function failed. A PKCS#11 failure — or any other unexpected error, after which the
   * session's state (an operation left active?) is unknown — replaces the session before the error is
   * rethrown. Only an `HsmError` without a CKR that `fn` throws itself — an argument or policy check of
   * ours — leaves it alone; HSM_OPERATION_FAILED (the token answered nonsense) replaces it too.
   */
  run<T>(call: string, fn: (ctx: SessionContext) => T): T {
    const session = this.closing ? undefined : this.session;
    if (session === undefined) throw this.closeError ?? new HsmError('HSM_CLOSED', `token '${this.tokenLabel}' is closed`);
    try {
      return fn({ lib: this.loaded.lib, session });
    } catch (err) {
      if (isOwnCheck(err)) throw err;
      const mapped = hsmErrorFrom(err, call);
      this.replaceSession(mapped);
      throw mapped;
    }
  }

  /**
   * Runs an asynchronous token operation (e.g. C_SignAsync, which pkcs11js runs on a worker thread, so a
   * slow token — a TPM over TCP — does not stall the event loop) in a second session of its own, so it
   * never shares a session with the synchronous calls made meanwhile (entropy reads). Operations queue
   * and run one at a time. A PKCS#11 failure (or another unexpected error) discards that session; the
   * next operation opens a new one.
   */
  runAsync<T>(call: string, fn: (ctx: SessionContext) => Promise<T>): Promise<T> {
    // Refused when asked after close(); an operation queued before close() still runs.
    if (this.closing || this.session === undefined) {
      return Promise.reject(this.closeError ?? new HsmError('HSM_CLOSED', `token '${this.tokenLabel}' is closed`));
    }
    const result = this.queue.then(async () => {
      const session = this.openAsyncSession();
      try {
        return await fn({ lib: this.loaded.lib, session });
      } catch (err) {
        if (isOwnCheck(err)) throw err;
        const mapped = hsmErrorFrom(err, call);
        this.logger.warn(
          { token: this.tokenLabel, code: mapped.code, ckr: mapped.ckr, call: mapped.call },
          'PKCS#11 call failed; discarding the session',
        );
        this.asyncSession = undefined;
        closeQuietly(this.loaded.lib, session);
        throw mapped;
      }
    });
    this.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private openAsyncSession(): Pkcs11Handle {
    if (this.session === undefined) {
      throw this.closeError ?? new HsmError('HSM_CLOSED', `token '${this.tokenLabel}' is closed`);
    }
    // The slot is logged in through the main session, and the login covers every session of the slot.
    this.asyncSession ??= openSession(this.loaded.lib, this.slot);
    return this.asyncSession;
  }

  private replaceSession(cause: HsmError): void {
    const old = this.session;
    if (old === undefined) return;
    this.logger.warn(
      { token: this.tokenLabel, code: cause.code, ckr: cause.ckr, call: cause.call },
      'PKCS#11 call failed; replacing the session',
    );
    try {
      const fresh = openSession(this.loaded.lib, this.slot);
      closeQuietly(this.loaded.lib, old);
      this.session = fresh;
      const state = this.loaded.lib.C_GetSessionInfo(fresh).state;
      if (state !== CKS_RW_USER_FUNCTIONS && state !== CKS_RO_USER_FUNCTIONS) {
        login(this.loaded.lib, fresh, readPin(this.pin, this.#env), this.tokenLabel);
      }
    } catch (err) {
      // The token is gone or refuses new sessions: stop here and make every later call say why.
      const broken = hsmErrorFrom(err, 'C_OpenSession');
      this.closeError = HsmError.from(
        broken,
        'HSM_SESSION_BROKEN',
        `token '${this.tokenLabel}': session could not be re-established (${broken.message})`,
      );
      this.logger.error(
        { token: this.tokenLabel, code: broken.code, ckr: broken.ckr, call: broken.call },
        'PKCS#11 session could not be re-established',
      );
      this.closing = true;
      // Finalizing while an async call runs on a worker thread would pull the library from under it.
      void this.queue.then(() => this.teardown());
    }
  }

  /** What `util.inspect` / `console.log` show: names only — never the PIN's environment or the login state. */
  [inspect.custom](): string {
    return `Pkcs11Hsm { token: '${this.tokenLabel}', library: '${this.library}', closed: ${this.closed} }`;
  }

  /** What `JSON.stringify` shows (a logger serializing a key or source reaches this object). */
  toJSON(): { token: string; library: string; closed: boolean } {
    return { token: this.tokenLabel, library: this.library, closed: this.closed };
  }

  /** Logs out (when no other user of this token in the process is logged in), closes, finalizes once. */
  async close(): Promise<void> {
    this.closing = true;
    // Queued async operations finish first (new ones are refused from now on).
    await this.queue;
    if (this.session === undefined && this.closeError === undefined) return;
    this.teardown();
    this.closeError = undefined;
    this.logger.debug({ token: this.tokenLabel }, 'PKCS#11 token session closed');
  }

  private teardown(): void {
    const session = this.session;
    if (session === undefined) return;
    this.session = undefined;
    if (this.asyncSession !== undefined) closeQuietly(this.loaded.lib, this.asyncSession);
    this.asyncSession = undefined;
    if (dropLogin(this.loaded, this.slotKey)) {
      try {
        this.loaded.lib.C_Logout(session);
      } catch {
        // Already logged out (token reset, last session closed elsewhere): the goal is reached.
      }
    }
    closeQuietly(this.loaded.lib, session);
    releaseLibrary(this.loaded);
  }
}

function openSession(lib: Pkcs11Lib, slot: Pkcs11Handle): Pkcs11Handle {
  try {
    return lib.C_OpenSession(slot, CKF_RW_SESSION | CKF_SERIAL_SESSION);
  } catch (err) {
    throw hsmErrorFrom(err, 'C_OpenSession');
  }
}

function login(lib: Pkcs11Lib, session: Pkcs11Handle, pin: string, label: string): 'done' | 'already' {
  try {
    lib.C_Login(session, CKU_USER, pin);
    return 'done';
  } catch (err) {
    // Logged in by code outside this registry (the state we want, but the PIN went unchecked).
    if (asPkcs11Failure(err)?.ckr === 'CKR_USER_ALREADY_LOGGED_IN') return 'already';
    const mapped = hsmErrorFrom(err, 'C_Login');
    throw HsmError.from(mapped, mapped.code, `token '${label}': ${mapped.message}`, 'C_Login');
  }
}

/** An `HsmError` our own code threw as a check (no CKR, not "the token misbehaved"): the session is fine. */
function isOwnCheck(err: unknown): boolean {
  return err instanceof HsmError && err.ckr === undefined && err.code !== 'HSM_OPERATION_FAILED';
}

function closeQuietly(lib: Pkcs11Lib, session: Pkcs11Handle): void {
  try {
    lib.C_CloseSession(session);
  } catch {
    // A session that is already gone is closed.
  }
}
