/**
 * `hrng pool`: the seeding pool's policy and accounting — what each draw must claim, which sources the
 * current seed came from and what each was credited, and how far the generator is from its next reseed.
 */
import { parseArgs } from 'node:util';
import { Rng } from '../../crypto/index.js';
import { EXIT_OK, type Command } from '../command.js';
import { table } from '../format.js';
import type { CliIo } from '../io.js';
import { cliLogger } from '../logger.js';
import { selectSources } from '../sources.js';

async function pool(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { json: { type: 'boolean', default: false }, source: { type: 'string', multiple: true } },
    strict: true,
  });
  const selected = await selectSources(values.source, io);
  try {
    const rng = await Rng.create({ sources: selected.sources, logger: cliLogger(io) });
    try {
      const h = rng.health();
      const p = h.policy;
      const accounting = {
        state: h.state,
        policy: {
          minCreditedBits: p.minCreditedBits,
          reseedAfterRequests: p.reseedAfterRequests,
          reseedAfterBytes: p.reseedAfterBytes,
          reseedAfterMs: p.reseedAfterMs,
        },
        seed: h.seed ?? null,
        sinceSeed: h.counters.sinceSeed,
        untilReseed: {
          requests: p.reseedAfterRequests - h.counters.sinceSeed.drbgRequests,
          bytes: p.reseedAfterBytes - h.counters.sinceSeed.bytes,
          ms: Math.max(0, p.reseedAfterMs - h.counters.sinceSeed.ms),
        },
        reseeds: h.counters.reseeds,
      };
      if (values.json) io.stdout.write(JSON.stringify(accounting) + '\n');
      else {
        const seed = h.seed;
        io.stdout.write(
          [
            `state ${h.state}; each draw claims ≥ ${p.minCreditedBits} bits; reseed after ${p.reseedAfterRequests} DRBG requests, ${p.reseedAfterBytes} bytes or ${p.reseedAfterMs} ms`,
            seed
              ? `current seed: draw ${seed.drawCounter} (${seed.purpose}) at ${new Date(seed.atMs).toISOString()}, claimed ${seed.claimedBits} bits`
              : 'no seed',
            table([
              ['source', 'kind', 'read', 'credited bits'],
              ...(seed?.contributions ?? []).map((c) => [c.id, c.kind, String(c.bytesRead), String(c.creditedBits)]),
            ]),
            `until reseed: ${accounting.untilReseed.requests} requests, ${accounting.untilReseed.bytes} bytes, ${Math.round(accounting.untilReseed.ms)} ms`,
          ].join('\n') + '\n',
        );
      }
      return EXIT_OK;
    } finally {
      rng.destroy();
    }
  } finally {
    await selected.close();
  }
}

export const poolCommand: Command = {
  name: 'pool',
  summary: 'the seeding pool: policy, the current seed’s sources and credits, distance to the next reseed',
  usage: 'usage: hrng pool [--json] [--source ID]...',
  run: pool,
};
