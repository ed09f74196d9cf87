/**
 * `hrng aggregator`: the aggregation service (quorum/aggregator.ts), driven by JSON lines on stdin (its
 * control channel, for an operator or a supervisor) and answering with JSON lines on stdout. The first
 * line it prints is {"event":"listening","port":N}. A reconstructed key is shown only as its check value:
 * library callers get the key itself from Aggregator.reconstruct().
 *
 *   {"op":"wait","agents":N,"timeoutMs":T}         until N agents are live, healthy and have contributed
 *   {"op":"create","threshold":K,"shares":N,"minAgents":M}
 *   {"op":"rotate","keyId":ID[,"threshold":K,"shares":N]}
 *   {"op":"reconstruct","keyId":ID}
 *   {"op":"keys"} | {"op":"status"} | {"op":"quit"}
 *
 * `hrng aggregator init-wrapping-key --dir DIR --passphrase-file FILE` makes the master wrapping key (in
 * the project's encrypted keystore) and prints its path.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Rng } from '../../crypto/index.js';
import { HardenedRngError } from '../../crypto/errors.js';
import {
  Aggregator,
  FileStateStore,
  keyCheckValue,
  PgStateStore,
  TokenMasterKey,
  WrappingKey,
  type StateStore,
} from '../../quorum/index.js';
import { CliUsageError, EXIT_OK, type Command } from '../command.js';
import { parseCount } from '../format.js';
import type { CliIo } from '../io.js';
import { cliLogger } from '../logger.js';
import { readPassphrase } from '../passphrase.js';
import { openPkcs11FromEnv, warnRefusedProtections } from '../pkcs11-options.js';
import { findAesKey, generateAesKey, type HsmAesKey, type ProtectionReport } from '../../hsm/index.js';
import { selectSources } from '../sources.js';
import { untilSignal } from '../signal.js';
import { parseHostPort } from './agent.js';

const usage = [
  'usage: hrng aggregator --listen HOST:PORT --cert FILE --key FILE --ca FILE (--state FILE | --store postgres://…)',
  '                       (--wrapping-keystore FILE --passphrase-file FILE | --wrapping-sealed FILE --wrapping-hsm-key LABEL',
  '                        | --hsm-wrap-key LABEL) [options]',
  '       hrng aggregator init-wrapping-key --dir DIR --passphrase-file FILE',
  '       hrng aggregator init-wrapping-key --sealed FILE --hsm-key LABEL [--new-hsm-key]',
  '       hrng aggregator init-wrapping-key --hsm-wrap-key LABEL',
  '  --listen HOST:PORT       where to listen (default 127.0.0.1:0)',
  "  --cert, --key, --ca      its TLS certificate and key; the CA agents' certificates must chain to",
  '  --state FILE             enrolled agents, share map, epochs: one JSON file replaced atomically',
  '  --store postgres://…     the same state in PostgreSQL (so another aggregator can take over)',
  '  --wrapping-keystore FILE the master wrapping key in the encrypted keystore (see init-wrapping-key)',
  '  --wrapping-sealed FILE   the master wrapping key sealed by the token AES-256-GCM key --wrapping-hsm-key',
  '                           (token from HRNG_PKCS11_LIBRARY, HRNG_PKCS11_TOKEN, HRNG_PKCS11_PIN_FILE)',
  '  --hsm-wrap-key LABEL     the master wrapping key is an HMAC key on the token and never leaves it: each',
  "                           agent's key is derived there (HKDF-Expand); the token stays open while it runs",
  '  --open-enrolment         enrol unknown agents whose certificate chains to the CA (pinning their key)',
  "  --request-timeout-ms N   wait for an agent's reply (default 3000)",
  '  --live-within-ms N       an agent is live if heard from this recently (default 15000)',
  '  --max-per-region N       shares one region may hold (default k − 1)',
  '  --rate N                 contributions per second per agent (default 5)',
  '  control: JSON lines on stdin — wait, create, rotate, reconstruct, keys, status, quit (see docs/quorum.md)',
].join('\n');

async function initWrappingKey(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      dir: { type: 'string' },
      'passphrase-file': { type: 'string' },
      sealed: { type: 'string' },
      'hsm-key': { type: 'string' },
      'new-hsm-key': { type: 'boolean', default: false },
      'hsm-wrap-key': { type: 'string' },
    },
    strict: true,
  });
  if ([values.dir, values.sealed, values['hsm-wrap-key']].filter((v) => v !== undefined).length !== 1)
    throw new CliUsageError('give exactly one of --dir (keystore), --sealed FILE (HSM-sealed) and --hsm-wrap-key LABEL (on the token)');
  if (values['hsm-wrap-key'] !== undefined) {
    const hsm = await openPkcs11FromEnv(io.env, cliLogger(io));
    try {
      const key = TokenMasterKey.generate(hsm, values['hsm-wrap-key']);
      const { protections } = key; // set for a key this process generated
      if (protections !== undefined)
        warnRefusedProtections(io, { command: 'hrng aggregator init-wrapping-key', token: hsm.tokenLabel, protections });
      io.stdout.write(`${JSON.stringify({ hsmWrapKey: key.label, token: hsm.tokenLabel, protections })}\n`);
      return EXIT_OK;
    } finally {
      await hsm.close();
    }
  }
  const rng = await Rng.create({ logger: cliLogger(io) });
  try {
    if (values.sealed !== undefined) {
      if (values['hsm-key'] === undefined) throw new CliUsageError('--sealed needs --hsm-key LABEL');
      let protections: ProtectionReport | undefined;
      const hsm = await openPkcs11FromEnv(io.env, cliLogger(io));
      try {
        const label = values['hsm-key'];
        let key: HsmAesKey;
        if (values['new-hsm-key']) {
          const made = generateAesKey(hsm, { label, purpose: 'gcm' });
          warnRefusedProtections(io, {
            command: 'hrng aggregator init-wrapping-key',
            token: hsm.tokenLabel,
            protections: made.protections,
          });
          protections = made.protections;
          key = made.key;
        } else {
          key = findAesKey(hsm, { label });
        }
        await WrappingKey.createSealed(values.sealed, key, rng);
      } finally {
        await hsm.close();
      }
      io.stdout.write(
        `${JSON.stringify({ wrappingSealed: values.sealed, hsmKey: values['hsm-key'], ...(protections === undefined ? {} : { protections }) })}\n`,
      );
      return EXIT_OK;
    }
    const passphrase = await readPassphrase(io, { file: values['passphrase-file'], confirm: true });
    try {
      const path = await WrappingKey.create(values.dir as string, passphrase, { rng });
      io.stdout.write(`${JSON.stringify({ wrappingKeystore: path })}\n`);
      return EXIT_OK;
    } finally {
      passphrase.fill(0);
    }
  } finally {
    rng.destroy();
  }
}

interface OpenedWrappingKey {
  readonly wrapping: WrappingKey;
  /** Disposes the key and closes the token it needs, if any. */
  close(): Promise<void>;
}

/** The master wrapping key from the keystore, from its HSM-sealed file, or on the token. */
async function openWrappingKey(
  values: { readonly [k: string]: string | boolean | undefined | string[] },
  io: CliIo,
): Promise<OpenedWrappingKey> {
  const keystore = values['wrapping-keystore'] as string | undefined;
  const sealed = values['wrapping-sealed'] as string | undefined;
  const onToken = values['hsm-wrap-key'] as string | undefined;
  if ([keystore, sealed, onToken].filter((v) => v !== undefined).length !== 1)
    throw new CliUsageError('give exactly one of --wrapping-keystore FILE, --wrapping-sealed FILE and --hsm-wrap-key LABEL');
  const inMemory = (wrapping: WrappingKey): OpenedWrappingKey => ({ wrapping, close: async () => wrapping.dispose() });
  if (onToken !== undefined) {
    // The token must stay open: every wrap and unwrap derives its key there.
    const hsm = await openPkcs11FromEnv(io.env, cliLogger(io));
    try {
      const wrapping = WrappingKey.onToken(TokenMasterKey.find(hsm, onToken));
      return { wrapping, close: () => hsm.close() };
    } catch (err) {
      await hsm.close();
      throw err;
    }
  }
  if (sealed !== undefined) {
    const label = values['wrapping-hsm-key'] as string | undefined;
    if (label === undefined) throw new CliUsageError('--wrapping-sealed needs --wrapping-hsm-key LABEL');
    const hsm = await openPkcs11FromEnv(io.env, cliLogger(io));
    try {
      return inMemory(await WrappingKey.fromSealed(sealed, findAesKey(hsm, { label })));
    } finally {
      await hsm.close();
    }
  }
  const passphrase = await readPassphrase(io, { file: values['passphrase-file'] as string | undefined });
  try {
    return inMemory(await WrappingKey.fromKeystore(keystore as string, passphrase));
  } finally {
    passphrase.fill(0);
  }
}

async function aggregator(args: readonly string[], io: CliIo): Promise<number> {
  if (args[0] === 'init-wrapping-key') return initWrappingKey(args.slice(1), io);
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      listen: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      ca: { type: 'string' },
      state: { type: 'string' },
      store: { type: 'string' },
      'wrapping-keystore': { type: 'string' },
      'wrapping-sealed': { type: 'string' },
      'wrapping-hsm-key': { type: 'string' },
      'hsm-wrap-key': { type: 'string' },
      'passphrase-file': { type: 'string' },
      'open-enrolment': { type: 'boolean', default: false },
      'request-timeout-ms': { type: 'string' },
      'live-within-ms': { type: 'string' },
      'max-per-region': { type: 'string' },
      rate: { type: 'string' },
      source: { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: false,
  });
  if (positionals.length > 0) throw new CliUsageError('no positional arguments');
  for (const k of ['cert', 'key', 'ca'] as const) if (values[k] === undefined) throw new CliUsageError(`--${k} is required`);
  if ((values.state === undefined) === (values.store === undefined))
    throw new CliUsageError('give exactly one of --state FILE and --store postgres://…');
  if (values.store !== undefined && !/^postgres(ql)?:\/\//.test(values.store)) throw new CliUsageError('--store must be a postgres:// URL');
  const { host, port } = parseHostPort(values.listen ?? '127.0.0.1:0', '--listen');
  const [cert, key, ca] = await Promise.all([
    readFile(values.cert as string),
    readFile(values.key as string),
    readFile(values.ca as string),
  ]);
  const opened = await openWrappingKey(values, io);
  const wrapping = opened.wrapping;
  const store: StateStore =
    values.store !== undefined ? await PgStateStore.connect(values.store) : new FileStateStore(values.state as string);
  const selected = await selectSources(values.source, io);
  const logger = cliLogger(io);
  const rng = await Rng.create({ sources: selected.sources, logger });
  const out = (o: object): void => void io.stdout.write(`${JSON.stringify(o)}\n`);
  let agg: Aggregator | undefined;
  try {
    agg = await Aggregator.start({
      tls: { cert, key, ca },
      host,
      port,
      store,
      wrapping,
      rng,
      logger,
      openEnrolment: values['open-enrolment'],
      requestTimeoutMs: parseCount(values['request-timeout-ms'] ?? '3000', '--request-timeout-ms', 10, 600_000),
      liveWithinMs: parseCount(values['live-within-ms'] ?? '15000', '--live-within-ms', 10, 86_400_000),
      ...(values['max-per-region'] !== undefined ? { maxPerRegion: parseCount(values['max-per-region'], '--max-per-region', 1, 255) } : {}),
      freshness: {
        windowMs: 30_000,
        ratePerSecond: parseCount(values.rate ?? '5', '--rate', 1, 10_000),
        burst: 2 * parseCount(values.rate ?? '5', '--rate', 1, 10_000),
      },
    });
    key.fill(0);
    out({ event: 'listening', host, port: agg.port, store: store.description });
    const a = agg;
    const lines = createInterface({ input: io.stdin });
    const control = (async () => {
      for await (const line of lines) {
        if (line.trim() === '') continue;
        const reply = await handle(a, line);
        out(reply);
        if (reply['op'] === 'quit') break;
      }
    })();
    await Promise.race([control, untilSignal()]);
    lines.close();
    return EXIT_OK;
  } finally {
    await agg?.close();
    await opened.close();
    rng.destroy();
    await selected.close();
  }
}

async function handle(a: Aggregator, line: string): Promise<Record<string, unknown>> {
  let op = 'unknown';
  try {
    const req = JSON.parse(line) as Record<string, unknown>;
    op = String(req['op']);
    const int = (name: string): number => {
      const v = req[name];
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new CliUsageError(`${op}: ${name} must be an integer`);
      return v;
    };
    switch (op) {
      case 'wait': {
        const until = Date.now() + (req['timeoutMs'] === undefined ? 60_000 : int('timeoutMs'));
        const want = int('agents');
        for (;;) {
          const ready = a.views().filter((v) => v.lastSeen > 0 && v.health === 'healthy').length;
          if (ready >= want && a.contributors() >= want) return { ok: true, op, agents: ready };
          if (Date.now() > until)
            return {
              ok: false,
              op,
              code: 'QUORUM_WAIT_TIMEOUT',
              message: `${ready} live healthy agents, ${a.contributors()} contributing; wanted ${want}`,
            };
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      case 'create':
        return {
          ok: true,
          op,
          ...(await a.createKey({
            threshold: int('threshold'),
            shares: int('shares'),
            ...(req['minAgents'] !== undefined ? { minAgents: int('minAgents') } : {}),
          })),
        };
      case 'rotate':
        return {
          ok: true,
          op,
          ...(await a.rotate(
            String(req['keyId']),
            req['threshold'] !== undefined ? { threshold: int('threshold'), shares: int('shares') } : undefined,
          )),
        };
      case 'reconstruct': {
        const started = Date.now();
        using key = await a.reconstruct(String(req['keyId']));
        return { ok: true, op, keyId: req['keyId'], checkValue: key.use((k) => keyCheckValue(k)), ms: Date.now() - started };
      }
      case 'keys':
        return { ok: true, op, keys: a.keys() };
      case 'status':
        return { ok: true, op, ...a.report() };
      case 'quit':
        return { ok: true, op };
      default:
        return { ok: false, op, code: 'CLI_INVALID_ARGUMENT', message: `unknown op '${op.slice(0, 32)}'` };
    }
  } catch (err) {
    return { ok: false, op, code: err instanceof HardenedRngError ? err.code : 'CLI_INVALID_ARGUMENT', message: (err as Error).message };
  }
}

export const aggregatorCommand: Command = {
  name: 'aggregator',
  summary: 'the quorum aggregation service: verifies and mixes contributions, shards and rotates session keys',
  usage,
  run: aggregator,
};
