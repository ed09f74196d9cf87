/**
 * `hrng agent`: an entropy agent of the quorum (quorum/agent.ts). It runs until SIGINT/SIGTERM, printing
 * one JSON event per line on stdout (connected, contributed, unhealthy, stored, dropped, disconnected).
 * Its TLS key file is also its Ed25519 identity key; no secret ever reaches argv or the output.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Rng } from '../../crypto/index.js';
import { EntropyPool } from '../../crypto/entropy/index.js';
import { Agent, AgentIdentity } from '../../quorum/index.js';
import { CliUsageError, EXIT_OK, type Command } from '../command.js';
import { parseCount } from '../format.js';
import type { CliIo } from '../io.js';
import { cliLogger } from '../logger.js';
import { untilSignal } from '../signal.js';
import { selectSources } from '../sources.js';

const usage = [
  'usage: hrng agent --id ID --region R --connect HOST:PORT --cert FILE --key FILE --ca FILE [options]',
  "  --id ID             this agent's id (letters, digits, . _ -)",
  '  --region R          its region, recorded at enrolment',
  '  --connect HOST:PORT the aggregator (mutual TLS)',
  '  --cert, --key       its TLS certificate and Ed25519 key (PEM); the key is its identity key',
  "  --ca FILE           the CA that signed the aggregator's certificate",
  '  --interval-ms N     mean time between contributions (jittered 0.5–1.5×; default 1000)',
  '  --status-ms N       time between signed attestations (default 2000)',
  '  --state FILE        where it keeps the wrapped shares it holds (written atomically)',
  '  --battery N         battery percentage to report (default: on mains)',
  '  --min-sources N     healthy credited sources each draw needs (default 2)',
  '  --source ID         restrict to / add entropy sources, as for hrng status',
].join('\n');

export function parseHostPort(text: string | undefined, what: string): { host: string; port: number } {
  const m = /^(.+):([0-9]{1,5})$/.exec(text ?? '');
  if (m === null) throw new CliUsageError(`${what} must be HOST:PORT`);
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port: parseCount(m[2], `${what} port`, 0, 65_535) };
}

async function agent(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      id: { type: 'string' },
      region: { type: 'string' },
      connect: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      ca: { type: 'string' },
      'interval-ms': { type: 'string' },
      'status-ms': { type: 'string' },
      state: { type: 'string' },
      battery: { type: 'string' },
      'min-sources': { type: 'string' },
      source: { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: false,
  });
  if (positionals.length > 0) throw new CliUsageError('no positional arguments');
  for (const k of ['id', 'region', 'connect', 'cert', 'key', 'ca'] as const)
    if (values[k] === undefined) throw new CliUsageError(`--${k} is required`);
  const { host, port } = parseHostPort(values.connect, '--connect');
  const [cert, key, ca] = await Promise.all([
    readFile(values.cert as string),
    readFile(values.key as string),
    readFile(values.ca as string),
  ]);
  const selected = await selectSources(values.source, io);
  const logger = cliLogger(io);
  const rng = await Rng.create({ sources: selected.sources, logger });
  try {
    const pool = new EntropyPool({
      sources: selected.sources,
      policy: { minSources: parseCount(values['min-sources'] ?? '2', '--min-sources', 1, 8) },
    });
    const identity = AgentIdentity.fromPem(key);
    const battery = values.battery === undefined ? -1 : parseCount(values.battery, '--battery', 0, 100);
    const emit = (e: object): void => void io.stdout.write(`${JSON.stringify({ agent: values.id, ...e })}\n`);
    const a = new Agent({
      agentId: values.id as string,
      region: values.region as string,
      host,
      port,
      tls: { cert, key, ca },
      identity,
      pool,
      rng,
      logger,
      intervalMs: parseCount(values['interval-ms'] ?? '1000', '--interval-ms', 10, 3_600_000),
      statusEveryMs: parseCount(values['status-ms'] ?? '2000', '--status-ms', 10, 3_600_000),
      battery: () => battery,
      ...(values.state !== undefined ? { stateFile: values.state } : {}),
      onEvent: (e) => {
        if (e.event !== 'contributed') emit(e);
      },
    });
    // The key Buffer stays: node:tls needs it for every reconnection.
    await a.start();
    emit({ event: 'started', publicKey: identity.publicKey });
    const sig = await untilSignal();
    await a.stop();
    emit({ event: 'stopped', signal: sig });
    return EXIT_OK;
  } finally {
    rng.destroy();
    await selected.close();
  }
}

export const agentCommand: Command = {
  name: 'agent',
  summary: 'an entropy agent of the quorum: contributes signed, health-tested entropy and holds wrapped shares',
  usage,
  run: agent,
};
