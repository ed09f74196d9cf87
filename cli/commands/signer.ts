/**
 * `hrng signer`: hardened-rng as a CometBFT remote signer (signer/). `run` unlocks the validator key
 * once (keystore passphrase from a file or the terminal; or a PKCS#11 token key), opens the guard (a
 * directory, or PostgreSQL from HRNG_GUARD_PG_URL) and dials the node's priv_validator_laddr until
 * SIGINT/SIGTERM. `import-key` / `export-key` move CometBFT's priv_validator_key.json into and out of
 * the encrypted keystore. See docs/signer.md.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ed25519 } from '@noble/curves/ed25519.js';
import { parsePrivValidatorState, PgGuardStore, SigningGuard, type GuardStateStore } from '../../consensus/index.js';
import { readKeystore, Rng, SoftwareSigner, writeKeystore, type Logger, type Signer } from '../../crypto/index.js';
import { writeFileAtomic } from '../../crypto/fs/index.js';
import { findSigningKey, type Pkcs11Hsm } from '../../hsm/index.js';
import {
  formatPrivValidatorKey,
  loadOrCreateConnectionKey,
  parseNodeAddress,
  parsePrivValidatorKey,
  PrivvalDialer,
  PrivvalService,
  SIGNER_GUARD_POLICY,
  SIGNER_PG_LOCK_TIMEOUT_MS,
  SIGNER_PG_QUERY_MARGIN_MS,
  SignerMetrics,
  startHealthServer,
  type ConnectionKey,
  type KeySchedule,
} from '../../signer/index.js';
import { CliUsageError, EXIT_OK, type Command } from '../command.js';
import { parseCount } from '../format.js';
import type { CliIo } from '../io.js';
import { cliLogger } from '../logger.js';
import { kdfProgress, readPassphrase } from '../passphrase.js';
import { PKCS11_ENV, openPkcs11FromEnv } from '../pkcs11-options.js';
import { untilSignal } from '../signal.js';
import { selectSources } from '../sources.js';

export const GUARD_PG_ENV = 'HRNG_GUARD_PG_URL';

const usage = `usage: hrng signer run --node ADDR --chain-id ID (--key FILE [--passphrase-file F] | --hsm-key LABEL)
                      (--guard DIR | --guard-pg [--guard-pg-lock-timeout MS] [--guard-pg-query-timeout MS])
                      [--init-guard] [--guard-from-state FILE] [--min-height H]
                      [--take-over-lock] [--next-key FILE [--next-passphrase-file F] | --next-hsm-key LABEL]
                      [--rotate-at H] [--metrics HOST:PORT] [--node-key HEX] [--connection-key FILE]
                      [--audit-log FILE] [--retry-ms MS] [--source ID]...
       hrng signer import-key --in priv_validator_key.json --out DIR [--passphrase-file F]
       hrng signer export-key --key FILE [--passphrase-file F] --out priv_validator_key.json [--force]

  --node            the node's priv_validator_laddr: tcp://HOST:PORT (SecretConnection) or unix:///PATH
  --chain-id        the only chain signed for; requests for any other are refused
  --key / --hsm-key the validator key (Ed25519): a keystore unlocked once at start, or a PKCS#11 token key
                    (${PKCS11_ENV.library}, ${PKCS11_ENV.token}, ${PKCS11_ENV.pin} or ${PKCS11_ENV.pinFile})
  --guard DIR       the double-sign guard in a directory; --guard-pg: in PostgreSQL at $${GUARD_PG_ENV}
  --guard-pg-lock-timeout   ms a replica waits for the other's lock on the key before refusing (GUARD_LOCKED);
                    default ${SIGNER_PG_LOCK_TIMEOUT_MS}: keep it, and the query timeout, under the node's 5 s privval timeout
  --guard-pg-query-timeout  ms any reply from PostgreSQL may take before the signing fails (GUARD_STORE_FAILED);
                    more than the lock timeout; default the lock timeout + ${SIGNER_PG_QUERY_MARGIN_MS}
  --init-guard      a key with no history may start from nothing (first start only)
  --guard-from-state CometBFT's priv_validator_state.json, merged in as the starting watermark
  --min-height      never sign below this height (the chain's latest signed height: a restored backup
                    cannot reopen heights already signed)
  --take-over-lock  take over a guard lock held from another host, boot or container (only when that signer is gone)
  --next-key, --next-hsm-key, --rotate-at   the key that signs from height H on (key rotation)
  --metrics         loopback HOST:PORT for /metrics, /healthz, /readyz (port 0: any; printed at start)
  --node-key        the node's SecretConnection Ed25519 public key (hex): refuse any other node
  --connection-key  FILE holding the signer's own SecretConnection key (0600; created on first start)
  --audit-log       append the audit log (JSON lines: every signature and refusal) to FILE, not stderr
  --source ID       the generator's entropy sources, as for hrng status (e.g. --source os --source pkcs11: the
                    token's RNG as the second vote); it runs with prediction resistance, so every draw (a
                    connection key, each handshake's ephemeral key) is freshly seeded and a failed source
                    shows on /readyz at the next draw`;

type Values = Record<string, string | boolean | string[] | undefined>;

async function keystoreSigner(file: string, passFile: string | undefined, io: CliIo): Promise<Signer & Disposable> {
  const pass = await readPassphrase(io, { file: passFile });
  try {
    const record = await readKeystore(file, pass, { onProgress: kdfProgress(io, 'decrypting keystore') });
    try {
      return SoftwareSigner.fromRecord(record);
    } finally {
      record.seed.dispose();
    }
  } finally {
    pass.fill(0);
  }
}

interface Opened {
  readonly keys: KeySchedule;
  readonly hsm: Pkcs11Hsm | undefined;
  dispose(): void;
}

async function openKeys(v: Values, io: CliIo): Promise<Opened> {
  const disposers: (() => void)[] = [];
  let hsm: Pkcs11Hsm | undefined;
  const one = async (key: unknown, passFile: unknown, hsmKey: unknown): Promise<Signer> => {
    if (typeof hsmKey === 'string') {
      hsm ??= await openPkcs11FromEnv(io.env, cliLogger(io));
      return findSigningKey(hsm, { label: hsmKey });
    }
    const s = await keystoreSigner(key as string, passFile as string | undefined, io);
    disposers.push(() => s[Symbol.dispose]());
    return s;
  };
  const current = await one(v.key, v['passphrase-file'], v['hsm-key']);
  let next: KeySchedule['next'];
  if (v['next-key'] !== undefined || v['next-hsm-key'] !== undefined) {
    if (v['rotate-at'] === undefined) throw new CliUsageError('--next-key/--next-hsm-key needs --rotate-at H');
    next = {
      signer: await one(v['next-key'], v['next-passphrase-file'], v['next-hsm-key']),
      fromHeight: parseCount(v['rotate-at'] as string, '--rotate-at', 1, Number.MAX_SAFE_INTEGER),
    };
  } else if (v['rotate-at'] !== undefined) {
    throw new CliUsageError('--rotate-at needs --next-key or --next-hsm-key');
  }
  return { keys: next === undefined ? { current } : { current, next }, hsm, dispose: () => disposers.forEach((d) => d()) };
}

function auditLogger(v: Values): Logger {
  const dest =
    typeof v['audit-log'] === 'string'
      ? pino.destination({ dest: v['audit-log'], append: true, sync: true, mkdir: true })
      : pino.destination({ fd: 2, sync: true });
  return pino({ level: 'info', base: { name: 'hrng-signer' } }, dest);
}

/** --guard-pg-lock-timeout / --guard-pg-query-timeout (signer/guard-policy.ts gives the defaults and why). */
function pgGuardTimeouts(v: Values): { lockTimeoutMs: number; queryTimeoutMs: number } {
  const lockText = v['guard-pg-lock-timeout'] as string | undefined;
  const queryText = v['guard-pg-query-timeout'] as string | undefined;
  if (v['guard-pg'] !== true && (lockText !== undefined || queryText !== undefined))
    throw new CliUsageError('--guard-pg-lock-timeout and --guard-pg-query-timeout apply only with --guard-pg');
  const lockTimeoutMs = lockText === undefined ? SIGNER_PG_LOCK_TIMEOUT_MS : parseCount(lockText, '--guard-pg-lock-timeout', 1, 599_999);
  const queryTimeoutMs =
    queryText === undefined
      ? Math.min(600_000, lockTimeoutMs + SIGNER_PG_QUERY_MARGIN_MS)
      : parseCount(queryText, `--guard-pg-query-timeout (more than the lock timeout, ${lockTimeoutMs})`, lockTimeoutMs + 1, 600_000);
  return { lockTimeoutMs, queryTimeoutMs };
}

async function run(v: Values, io: CliIo): Promise<number> {
  if (typeof v.node !== 'string') throw new CliUsageError('--node tcp://HOST:PORT or unix:///PATH is required');
  if (typeof v['chain-id'] !== 'string' || v['chain-id'] === '') throw new CliUsageError('--chain-id is required');
  if ((v.key === undefined) === (v['hsm-key'] === undefined))
    throw new CliUsageError('exactly one of --key FILE and --hsm-key LABEL is required');
  if ((v.guard === undefined) === (v['guard-pg'] !== true))
    throw new CliUsageError('exactly one of --guard DIR and --guard-pg is required');
  const pgTimeouts = pgGuardTimeouts(v);
  const address = parseNodeAddress(v.node);
  const chainId = v['chain-id'];
  const minHeight =
    v['min-height'] === undefined ? undefined : parseCount(v['min-height'] as string, '--min-height', 0, Number.MAX_SAFE_INTEGER);
  const nodeKey = typeof v['node-key'] === 'string' ? Uint8Array.from(Buffer.from(v['node-key'], 'hex')) : undefined;
  if (nodeKey !== undefined && nodeKey.length !== 32) throw new CliUsageError('--node-key must be 32 bytes of hex');
  const metricsAt = typeof v.metrics === 'string' ? /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(v.metrics) : null;
  if (v.metrics !== undefined && metricsAt === null) throw new CliUsageError('--metrics must be a loopback HOST:PORT (127.0.0.1:PORT)');
  const log = cliLogger(io);
  const audit = auditLogger(v);
  const selected = await selectSources(Array.isArray(v.source) ? v.source : undefined, io);
  // Prediction resistance: the signer draws a few dozen bytes per connection, so a fresh seed for each draw
  // costs nothing, every key it makes rests on fresh entropy, and a source that fails is seen at the next
  // draw (and on /readyz) instead of at the next scheduled reseed, minutes later.
  const rng = await Rng.create({ logger: log, sources: selected.sources, predictionResistance: true });
  const opened = await openKeys(v, io);
  let store: GuardStateStore | undefined;
  if (v['guard-pg'] === true) {
    const url = io.env[GUARD_PG_ENV];
    if (url === undefined || url === '') throw new CliUsageError(`--guard-pg reads the connection URL from ${GUARD_PG_ENV}`);
    store = await PgGuardStore.open({ connectionString: url, ...pgTimeouts });
  }
  const guard = await SigningGuard.open({
    ...(store !== undefined ? { store } : { dir: v.guard as string }),
    // CometBFT's formats only, the key's lock held for the process, the reply before the record and the
    // record when the key is idle (signer/guard-policy.ts).
    ...SIGNER_GUARD_POLICY,
    chainId,
    init: v['init-guard'] === true,
    takeOverForeignLock: v['take-over-lock'] === true,
    ...(minHeight !== undefined ? { minHeight } : {}),
    logger: log,
  });
  if (typeof v['guard-from-state'] === 'string') {
    const text = await readFile(v['guard-from-state'], 'utf8');
    // The file is the current key's history (FilePV keeps one key).
    const report = await guard.importWatermarks([parsePrivValidatorState(text, opened.keys.current.keyId)]);
    audit.info({ event: 'watermark', ...report }, 'signer: priv_validator_state.json imported');
  }
  const metrics = new SignerMetrics();
  let connected = false;
  const unhealthy = (): string | undefined => {
    const state = rng.health().state;
    metrics.rngState(state);
    if (state === 'failed') return 'the random generator failed';
    if (opened.hsm !== undefined) {
      try {
        opened.hsm.tokenInfo();
      } catch {
        return 'the token is unreachable';
      }
    }
    return undefined;
  };
  const service = new PrivvalService({ chainId, guard, keys: opened.keys, audit, observer: metrics, unhealthy });
  // The SecretConnection identity: kept in --connection-key FILE (created on first start) so the node can
  // pin it across restarts; otherwise a fresh one per start.
  let connectionKey: ConnectionKey;
  if (typeof v['connection-key'] === 'string') {
    connectionKey = await loadOrCreateConnectionKey(v['connection-key'], rng);
  } else {
    const secret = rng.randomBytes(32);
    const publicKey = ed25519.getPublicKey(secret);
    connectionKey = {
      identity: { publicKey, sign: async (m: Uint8Array) => ed25519.sign(m, secret) },
      publicKey,
      created: true,
      dispose: () => secret.fill(0),
    };
  }
  const identity = connectionKey.identity;
  const dialer = new PrivvalDialer({
    address,
    service,
    identity,
    random: rng,
    logger: log,
    ...(nodeKey !== undefined ? { nodeKey } : {}),
    retryMs: v['retry-ms'] === undefined ? 1000 : parseCount(v['retry-ms'] as string, '--retry-ms', 10, 600_000),
    onState: (c) => {
      connected = c;
      metrics.ready(c && unhealthy() === undefined);
    },
  });
  const health =
    metricsAt === null
      ? undefined
      : await startHealthServer({
          host: (metricsAt[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''),
          port: Number(metricsAt[2]),
          metrics,
          // The generator or the token first: it is the reason, when the link is down because of it.
          notReady: () => unhealthy() ?? (connected ? undefined : 'not connected to the node'),
        });
  const keyIds = [opened.keys.current.keyId, ...(opened.keys.next ? [opened.keys.next.signer.keyId] : [])];
  io.stderr.write(
    `hrng signer: key ${keyIds.join(', then ')} for chain ${chainId}, dialing ${v.node}${health ? `; metrics on http://127.0.0.1:${health.port}/metrics` : ''}\n`,
  );
  io.stderr.write(
    `hrng signer: connection key ${Buffer.from(connectionKey.publicKey).toString('hex')}${typeof v['connection-key'] === 'string' ? ` (${v['connection-key']}${connectionKey.created ? ', created' : ''})` : ' (new this start; --connection-key FILE keeps one)'}\n`,
  );
  audit.info({ event: 'start', chainId, keyIds, node: v.node }, 'signer: started');
  dialer.start();
  const sig = await untilSignal();
  audit.info({ event: 'stop', signal: sig }, 'signer: stopping');
  await dialer.stop();
  await health?.close();
  await guard.close();
  connectionKey.dispose();
  opened.dispose();
  await opened.hsm?.close();
  rng.destroy();
  await selected.close();
  return EXIT_OK;
}

async function importKey(v: Values, io: CliIo): Promise<number> {
  if (typeof v.in !== 'string' || typeof v.out !== 'string')
    throw new CliUsageError('import-key needs --in priv_validator_key.json and --out DIR');
  const text = await readFile(v.in, 'utf8');
  const record = parsePrivValidatorKey(text, Date.now());
  const pass = await readPassphrase(io, { file: v['passphrase-file'] as string | undefined, confirm: v['passphrase-file'] === undefined });
  const rng = await Rng.create({ logger: cliLogger(io) });
  try {
    await mkdir(v.out, { recursive: true, mode: 0o700 });
    const path = await writeKeystore(v.out, record, pass, { rng, onProgress: kdfProgress(io, 'encrypting keystore') });
    io.stdout.write(`${JSON.stringify({ path, keyId: record.keyId, publicKey: Buffer.from(record.publicKey).toString('hex') })}\n`);
    io.stderr.write(`imported; the plaintext ${v.in} still holds the key: delete it once the keystore is backed up\n`);
    return EXIT_OK;
  } finally {
    pass.fill(0);
    record.seed.dispose();
    rng.destroy();
  }
}

async function exportKey(v: Values, io: CliIo): Promise<number> {
  if (typeof v.key !== 'string' || typeof v.out !== 'string') throw new CliUsageError('export-key needs --key FILE and --out FILE');
  const pass = await readPassphrase(io, { file: v['passphrase-file'] as string | undefined });
  let record;
  try {
    record = await readKeystore(v.key, pass, { onProgress: kdfProgress(io, 'decrypting keystore') });
  } finally {
    pass.fill(0);
  }
  try {
    const text = new TextEncoder().encode(formatPrivValidatorKey(record));
    await writeFileAtomic(v.out, text, { mode: 0o600, noClobber: v.force !== true });
    text.fill(0);
    io.stderr.write(`wrote ${v.out} (0600): the key in the clear, for CometBFT's FilePV; move the guard history with it\n`);
    return EXIT_OK;
  } finally {
    record.seed.dispose();
  }
}

export const signerCommand: Command = {
  name: 'signer',
  summary: 'a CometBFT remote signer (privval over SecretConnection) under the double-sign guard',
  usage,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        node: { type: 'string' },
        'chain-id': { type: 'string' },
        key: { type: 'string' },
        'passphrase-file': { type: 'string' },
        'hsm-key': { type: 'string' },
        guard: { type: 'string' },
        'guard-pg': { type: 'boolean' },
        'guard-pg-lock-timeout': { type: 'string' },
        'guard-pg-query-timeout': { type: 'string' },
        'init-guard': { type: 'boolean' },
        'guard-from-state': { type: 'string' },
        'min-height': { type: 'string' },
        'take-over-lock': { type: 'boolean' },
        'next-key': { type: 'string' },
        'next-passphrase-file': { type: 'string' },
        'next-hsm-key': { type: 'string' },
        'rotate-at': { type: 'string' },
        metrics: { type: 'string' },
        'node-key': { type: 'string' },
        'connection-key': { type: 'string' },
        'audit-log': { type: 'string' },
        'retry-ms': { type: 'string' },
        source: { type: 'string', multiple: true },
        in: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: true,
    });
    const [sub, ...extra] = positionals;
    if (extra.length > 0) throw new CliUsageError(`unexpected argument '${extra[0] ?? ''}'`);
    if (sub === 'run') return run(values, io);
    if (sub === 'import-key') return importKey(values, io);
    if (sub === 'export-key') return exportKey(values, io);
    throw new CliUsageError(`unknown subcommand '${sub ?? ''}' (expected run, import-key or export-key)`);
  },
};
