/**
 * `npm run bench -- signer`: SignVote round trips of the remote signer over a real loopback TCP
 * SecretConnection (node side: tests/integration/signer/node-side.ts), each vote at a new height, with
 * the file guard and — when HRNG_TEST_PG_URL is set (run under scripts/postgres/with-postgres.sh) — the
 * PostgreSQL guard, against the bare SoftwareSigner.sign of the same sign bytes in the same run.
 * Each guard runs as `hrng signer` runs it (the reply once the intent is durable; the record deferred
 * until the key is idle, and superseded by the next intent when votes come back to back: one durable
 * write or committed transaction per vote) and, beside it, with the guard's default (the reply after
 * both durable writes). p50/p99/max latency and votes/s on the wall clock; the durable writes alone are
 * measured beside them: one slot write (pwrite + fdatasync, synchronous as consensus/guard/slot-file.ts
 * makes it), two, the same two through a held FileHandle (async, one threadpool hop per call), and the
 * previous format's two atomic file replacements (temp, fsync, rename, directory fsync) for comparison.
 * The last column is the signer's own handling time of each vote (decode, guard, signature: what the service
 * reports to its observer, the hrng_signer_sign_duration_seconds histogram), so a round trip's tail can be
 * told apart from the transport's and the scheduler's; with the file guard, the next is the p99 and the
 * maximum of the intent's own fdatasync in the same votes (the guard's write hooks time it); the last says
 * how many of the slowest 1 % of round trips overlap a GC pause of either process or a slow fdatasync.
 * Goals (issue 11): p99 ≤ 5 ms with the file guard, ≤ 10 ms with PostgreSQL, on this machine kind.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PgGuardStore, SigningGuard, voteSignBytes, type GuardHooks, type GuardStateStore } from '../../consensus/index.js';
import { planNextSlot, readSlotFileSync, slotFileImage, writeNextSlot, type CurrentSlot } from '../../consensus/guard/slot-file.js';
import { Rng } from '../../crypto/drbg/rng.js';
import { writeFileAtomic } from '../../crypto/fs/index.js';
import { generateKey } from '../../crypto/keys/generate.js';
import { SoftwareSigner } from '../../crypto/keys/software-signer.js';
import { PrivvalDialer, PrivvalService, SIGNER_GUARD_POLICY, type SignerObserver } from '../../signer/index.js';
import { NodeListener } from '../integration/signer/node-side.js';
import { BENCH_BLOCK_HASH, benchVote } from './signer-vote.js';
import { printMarkdownTable } from './cpu-time.js';
import { tailOverlap, watchGc, type Pause, type Span } from './gc-pauses.js';

/**
 * Votes measured per row, after WARMUP votes that are not: a signer service runs for days, and its first
 * few hundred requests (V8 tiering up the SecretConnection, protobuf and guard code) say nothing about its
 * steady-state tail — with 20 warm-up votes and 400 measured, p99 was mostly JIT. 2000 a row, so that a p99
 * is the 20th slowest vote of a row rather than the 10th: one burst of the disk moves it less.
 */
const VOTES = 2000;
const WARMUP = 200;
/** The paced rows' gap between votes: a node's votes are at least one network round apart (prevote, precommit). */
const PACE_MS = 10;
const CHAIN = 'bench-chain';

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

/**
 * The signer's guard as `hrng signer` opens it (signer/guard-policy.ts: CometBFT decoders, locks held, the
 * reply before the record, the record when the key is idle) — or, with `recordFirst`, the guard's default
 * (the reply after both durable writes).
 */
function openGuard(store: GuardStateStore | { dir: string }, recordFirst: boolean, hooks: GuardHooks): Promise<SigningGuard> {
  return SigningGuard.open({
    ...SIGNER_GUARD_POLICY,
    ...('dir' in store ? { dir: store.dir } : { store }),
    init: true,
    chainId: CHAIN,
    hooks,
    ...(recordFirst ? { returnBeforeRecord: false } : {}),
  });
}

/** Round-trip times, and the signer's own handling time of each (decode, guard, signature: the service's observer). */
interface Measured {
  /** Each measured round trip's wall-clock span (epoch ms): its time is end − start. */
  readonly spans: Span[];
  readonly handled: number[];
  /** The file store's intent writes on the wall clock: slot written → fdatasync returned (none for PostgreSQL). */
  readonly syncSpans: Span[];
  /** GC pauses of the signer's process, and of the node's when it ran in a process of its own. */
  readonly signerGc: Pause[];
  readonly nodeGc?: Pause[];
}

const lengths = (spans: readonly Span[]): number[] => spans.map(([start, end]) => end - start);

/**
 * Collects the service's handling time of each vote, and — through the guard's write hooks, which the file
 * store calls around each slot write (two awaits more per write) — how long each intent's fdatasync took.
 */
function handlingClock(): { observer: SignerObserver; hooks: GuardHooks; handled: number[]; syncSpans: Span[] } {
  const handled: number[] = [];
  const syncSpans: Span[] = [];
  let written = 0;
  return {
    handled,
    syncSpans,
    observer: { request: (_type, _result, seconds) => void handled.push(seconds * 1000), signedHeight: () => {} },
    hooks: {
      at: (p) => {
        if (p === 'intent:slot-written') written = performance.timeOrigin + performance.now();
        else if (p === 'intent:slot-synced') syncSpans.push([written, performance.timeOrigin + performance.now()]);
      },
    },
  };
}

async function roundTrips(
  rng: Rng,
  signer: SoftwareSigner,
  store: GuardStateStore | { dir: string },
  recordFirst = false,
): Promise<Measured> {
  const clock = handlingClock();
  const guard = await openGuard(store, recordFirst, clock.hooks);
  const node = await NodeListener.listen();
  const secret = rng.randomBytes(32);
  const { ed25519 } = await import('@noble/curves/ed25519.js');
  const dialer = new PrivvalDialer({
    address: { kind: 'tcp', host: '127.0.0.1', port: node.port },
    service: new PrivvalService({ chainId: CHAIN, guard, keys: { current: signer }, observer: clock.observer }),
    identity: { publicKey: ed25519.getPublicKey(secret), sign: async (m) => ed25519.sign(m, secret) },
    random: rng,
  });
  dialer.start();
  const link = await node.next();
  const spans: Span[] = [];
  const gc = watchGc();
  let pauses: Pause[] = [];
  try {
    for (let h = 1; h <= WARMUP + VOTES; h++) {
      const t0 = performance.timeOrigin + performance.now();
      const r = await link.request({ kind: 'signVoteRequest', vote: benchVote(h), chainId: CHAIN, skipExtensionSigning: false });
      spans.push([t0, performance.timeOrigin + performance.now()]);
      if (r.kind !== 'signedVoteResponse' || r.error !== undefined)
        throw new Error(`vote ${h} failed: ${JSON.stringify(r.kind === 'signedVoteResponse' ? r.error : r.kind)}`);
    }
  } finally {
    pauses = await gc.stop();
    link.close();
    await dialer.stop();
    node.close();
    await guard.close();
  }
  // One process: no pauses of a node's own.
  return { spans: spans.slice(WARMUP), handled: clock.handled.slice(WARMUP), syncSpans: clock.syncSpans.slice(WARMUP), signerGc: pauses };
}

const WRITES = 200;

/** Two slot writes per sample (or one), as the file guard makes them (synchronous pwrite + fdatasync). */
async function slotWritesSync(path: string, perSample: 1 | 2 = 2): Promise<number[]> {
  writeFileSync(path, slotFileImage(1n, new Uint8Array(300).fill(0x61)));
  const fd = openSync(path, 'r+');
  const times: number[] = [];
  try {
    let cur: CurrentSlot = readSlotFileSync(fd, path);
    for (let i = 0; i < WRITES; i++) {
      const t0 = performance.now();
      cur = await writeNextSlot(fd, cur, new Uint8Array(300).fill(0x61));
      if (perSample === 2) cur = await writeNextSlot(fd, cur, new Uint8Array(430).fill(0x62));
      times.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
  }
  return times;
}

/** The same bytes at the same places through a held FileHandle (async write + datasync). */
async function slotWritesHandle(path: string): Promise<number[]> {
  writeFileSync(path, slotFileImage(1n, new Uint8Array(300).fill(0x61)));
  const fh = await open(path, 'r+');
  const times: number[] = [];
  try {
    const fd = openSync(path, 'r');
    let cur: CurrentSlot = readSlotFileSync(fd, path);
    closeSync(fd);
    for (let i = 0; i < WRITES; i++) {
      const t0 = performance.now();
      for (const fill of [0x61, 0x62]) {
        const w = planNextSlot(cur, new Uint8Array(fill === 0x61 ? 300 : 430).fill(fill));
        await fh.write(w.block, 0, w.block.length, w.position);
        await fh.datasync();
        cur = w.next;
      }
      times.push(performance.now() - t0);
    }
  } finally {
    await fh.close();
  }
  return times;
}

/**
 * The same round trips with the node in a process of its own (signer-node-child.ts), as a validator node
 * is: the node's SecretConnection crypto no longer shares this event loop with the signer's.
 */
async function roundTripsNodeApart(
  rng: Rng,
  signer: SoftwareSigner,
  store: GuardStateStore | { dir: string },
  o: { readonly recordFirst?: boolean; readonly paceMs?: number } = {},
): Promise<Measured> {
  const clock = handlingClock();
  const guard = await openGuard(store, o.recordFirst === true, clock.hooks);
  const child = spawn(
    process.execPath,
    [join(dirname(fileURLToPath(import.meta.url)), 'signer-node-child.js'), CHAIN, String(WARMUP + VOTES), String(o.paceMs ?? 0)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<Record<string, unknown>> => {
    const l = await lines.next();
    if (l.done === true) throw new Error('the node process ended early');
    return JSON.parse(l.value) as Record<string, unknown>;
  };
  const secret = rng.randomBytes(32);
  const { ed25519 } = await import('@noble/curves/ed25519.js');
  let dialer: PrivvalDialer | undefined;
  const gc = watchGc();
  try {
    const { port } = (await nextLine()) as { port: number };
    dialer = new PrivvalDialer({
      address: { kind: 'tcp', host: '127.0.0.1', port },
      service: new PrivvalService({ chainId: CHAIN, guard, keys: { current: signer }, observer: clock.observer }),
      identity: { publicKey: ed25519.getPublicKey(secret), sign: async (m) => ed25519.sign(m, secret) },
      random: rng,
    });
    dialer.start();
    const result = await nextLine();
    if (!Array.isArray(result.spans)) throw new Error(`node process: ${String(result.error)}`);
    return {
      spans: (result.spans as Span[]).slice(WARMUP),
      handled: clock.handled.slice(WARMUP),
      syncSpans: clock.syncSpans.slice(WARMUP),
      signerGc: await gc.stop(),
      nodeGc: result.gc as Pause[],
    };
  } finally {
    await dialer?.stop();
    if (child.exitCode === null) child.kill('SIGTERM');
    await guard.close();
  }
}

/** Intent syncs longer than this count as slow in the tail column. */
const SLOW_SYNC_MS = 1;

/**
 * Of the slowest 1 % of round trips, how many overlap a GC pause of the signer's process, of the node's ("one
 * process" when the node ran in the signer's), and an intent fdatasync over SLOW_SYNC_MS (file guard):
 * "k/n (events in the measured votes, longest ms and, for GC, its kind)". What none of them covers is the
 * scheduler and the transport.
 */
function tailCell(m: Measured): string {
  const part = (events: readonly Pause[]): string => {
    const g = tailOverlap(m.spans, events);
    return `${g.slowOverlapping}/${g.slow} (${g.count}, ${g.maxMs.toFixed(1)}${g.longest === '' ? '' : ` ${g.longest}`})`;
  };
  const gc = `${part(m.signerGc)} · ${m.nodeGc === undefined ? 'one process' : part(m.nodeGc)}`;
  return m.syncSpans.length === 0 ? gc : `${gc} · ${part(m.syncSpans.filter(([s, e]) => e - s > SLOW_SYNC_MS))}`;
}

export async function run(): Promise<void> {
  const rng = await Rng.create();
  using signer = SoftwareSigner.fromRecord(generateKey('ed25519', { rng }));
  const dir = mkdtempSync(join(tmpdir(), 'hrng-bench-signer-'));
  try {
    const bare: number[] = [];
    for (let h = 1; h <= WARMUP + VOTES; h++) {
      const bytes = voteSignBytes(CHAIN, {
        type: 1,
        height: BigInt(h),
        round: 0,
        blockId: { hash: BENCH_BLOCK_HASH, partSetHeader: { total: 1, hash: BENCH_BLOCK_HASH } },
        timestamp: { seconds: 1_767_225_600n, nanos: 0 },
      });
      const t0 = performance.now();
      await signer.sign(bytes);
      if (h > WARMUP) bare.push(performance.now() - t0);
    }
    const slotOne = await slotWritesSync(join(dir, 'probe-one.state'), 1);
    const slotSync = await slotWritesSync(join(dir, 'probe.state'));
    const slotHandle = await slotWritesHandle(join(dir, 'probe-fh.state'));
    const writes: number[] = [];
    for (let i = 0; i < WRITES; i++) {
      const t0 = performance.now();
      await writeFileAtomic(join(dir, 'probe.json'), new Uint8Array(300).fill(0x61));
      await writeFileAtomic(join(dir, 'probe.json'), new Uint8Array(430).fill(0x62));
      writes.push(performance.now() - t0);
    }
    const file = await roundTrips(rng, signer, { dir: join(dir, 'guard') });
    const fileRecordFirst = await roundTrips(rng, signer, { dir: join(dir, 'guard-record-first') }, true);
    const rows: string[][] = [];
    const row = (name: string, m: number[] | Measured): string[] => {
      const xs = Array.isArray(m) ? m : lengths(m.spans);
      const syncs = Array.isArray(m) ? [] : lengths(m.syncSpans);
      return [
        name,
        pct(xs, 50).toFixed(3),
        pct(xs, 99).toFixed(3),
        Math.max(...xs).toFixed(1),
        (1000 / (xs.reduce((a, b) => a + b, 0) / xs.length)).toFixed(0),
        (pct(xs, 50) / pct(bare, 50)).toFixed(1),
        Array.isArray(m) ? '' : `${pct(m.handled, 50).toFixed(3)} / ${pct(m.handled, 99).toFixed(3)}`,
        syncs.length === 0 ? '' : `${pct(syncs, 99).toFixed(3)} / ${Math.max(...syncs).toFixed(1)}`,
        Array.isArray(m) ? '' : tailCell(m),
      ];
    };
    rows.push(row('bare SoftwareSigner.sign (Ed25519)', bare));
    rows.push(row('one slot write + fdatasync (an intent: what hrng signer pays per vote)', slotOne));
    rows.push(row("two slot writes + fdatasync, sync calls (the guard default's cost)", slotSync));
    rows.push(row('two slot writes + datasync, held FileHandle (async)', slotHandle));
    rows.push(row('two atomic durable file writes (the previous .json format)', writes));
    rows.push(row('SignVote over SecretConnection, file guard (as hrng signer: reply, then the record when idle)', file));
    rows.push(row('  the same, reply after the record (the guard default: two durable writes)', fileRecordFirst));
    rows.push(row('  the same, the node in its own process', await roundTripsNodeApart(rng, signer, { dir: join(dir, 'guard-apart') })));
    rows.push(
      row(
        `  node apart, one vote every ${PACE_MS} ms, reply before the record`,
        await roundTripsNodeApart(rng, signer, { dir: join(dir, 'guard-paced') }, { paceMs: PACE_MS }),
      ),
    );
    rows.push(
      row(
        `  node apart, one vote every ${PACE_MS} ms, reply after the record`,
        await roundTripsNodeApart(rng, signer, { dir: join(dir, 'guard-paced-first') }, { paceMs: PACE_MS, recordFirst: true }),
      ),
    );
    const url = process.env.HRNG_TEST_PG_URL;
    if (url !== undefined) {
      // A key of its own for each row: a key's history in the table stands at the last height of its row.
      const pg = async (
        o: { readonly apart?: boolean; readonly recordFirst?: boolean; readonly paceMs?: number } = {},
      ): Promise<Measured> => {
        using key = SoftwareSigner.fromRecord(generateKey('ed25519', { rng }));
        const store = await PgGuardStore.open({ connectionString: url });
        // Awaited here: `key` is disposed when this function returns.
        return await (o.apart === true ? roundTripsNodeApart(rng, key, store, o) : roundTrips(rng, key, store, o.recordFirst === true));
      };
      rows.push(row('SignVote over SecretConnection, PostgreSQL guard (as hrng signer)', await pg()));
      rows.push(row('  the same, reply after the record (two committed transactions)', await pg({ recordFirst: true })));
      rows.push(row('  the same, the node in its own process', await pg({ apart: true })));
      rows.push(row(`  node apart, one vote every ${PACE_MS} ms, reply before the record`, await pg({ apart: true, paceMs: PACE_MS })));
      rows.push(
        row(
          `  node apart, one vote every ${PACE_MS} ms, reply after the record`,
          await pg({ apart: true, paceMs: PACE_MS, recordFirst: true }),
        ),
      );
    } else {
      rows.push([
        'SignVote over SecretConnection, PostgreSQL guard',
        'not run: set HRNG_TEST_PG_URL (bash scripts/postgres/with-postgres.sh npm run bench -- signer)',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
      ]);
    }
    console.log(
      `${VOTES} votes a row after ${WARMUP} not measured; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    printMarkdownTable(
      [
        'operation',
        'p50 ms',
        'p99 ms',
        'max ms',
        'ops/s',
        'p50 × bare',
        'in the signer p50 / p99 ms',
        "its intent's fdatasync p99 / max ms",
        `slowest 1 % overlapping: signer GC · node GC · fdatasync > ${SLOW_SYNC_MS} ms (events, longest ms)`,
      ],
      rows,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rng.destroy();
  }
}
