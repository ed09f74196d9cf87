/**
 * HMAC_DRBG (SP 800-90A §10.1.2) throughput against this machine's bound, Node's CSPRNG and the npm
 * `hmac-drbg` package, all measured in one process by tinybench.
 *
 * The clock is this process's CPU time (user + system, `process.cpuUsage()`, 1 µs resolution), not wall
 * time: on a shared machine a 64 KiB request (milliseconds) is almost always preempted while a 32-byte
 * one rarely is, so wall-clock ratios between sizes, and against the bound, measure the neighbours.
 * CPU time also counts V8's helper threads (parallel scavenges), which can only lower our numbers.
 * Each sample is a batch of calls lasting about a millisecond; each pass takes the median sample, and
 * each figure printed is the median over several passes of that pass's figure (see ROUNDS).
 *
 * The bound. With the HMAC pads precomputed once per key, generate(N) costs
 *   2·⌈N/outLen⌉   compressions for the output blocks (inner + outer hash of V = HMAC(K, V)), plus
 *   6              for the closing Update with no additional input: K = HMAC(K, V‖0x00) (2),
 *                  the new key's ipad/opad blocks (2), V = HMAC(K, V) (2).
 * outLen is 64 bytes for SHA-512 and SHA3-512 (32 for SHA-256), so bound(N) = N / ((2·⌈N/64⌉ + 6)·t_block).
 * t_block is measured here on noble: hashing a message of 2k blocks minus hashing one of k blocks,
 * divided by k — the fixed costs (padding block, digest, allocation) cancel and what is left is one
 * compression function (SHA-2) or one absorb + Keccak-f[1600] permutation (SHA3-512, 72-byte rate).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { sha3_512 } from '@noble/hashes/sha3.js';
import type { CHash } from '@noble/hashes/utils.js';
import { HmacDrbg } from '../../crypto/drbg/index.js';
import type { DrbgHash } from '../../crypto/drbg/index.js';
import { measureRounds, printMarkdownTable } from './cpu-time.js';
import type { Job, Lookup } from './cpu-time.js';

interface NpmHmacDrbg {
  generate(len: number): number[];
}
type NpmHmacDrbgConstructor = new (o: { hash: unknown; entropy: number[]; nonce: number[]; pers: null }) => NpmHmacDrbg;

const require = createRequire(import.meta.url);
const NpmDrbg = require('hmac-drbg') as NpmHmacDrbgConstructor;
const hashJs = require('hash.js') as { sha512: unknown };

const SIZES = [32, 1024, 65536] as const;
/** Calls per sample, so that each sample is long against the clock's 1 µs resolution. */
const BATCH: Record<number, number> = { 32: 64, 1024: 8, 65536: 1 };
const K_BLOCKS = 128;
const HASHES: { name: DrbgHash; fn: CHash; outLen: number; target?: { large: number; small: number } }[] = [
  { name: 'sha256', fn: sha256, outLen: 32 },
  { name: 'sha512', fn: sha512, outLen: 64, target: { large: 0.75, small: 0.6 } },
  { name: 'sha3-512', fn: sha3_512, outLen: 64, target: { large: 0.85, small: 0.6 } },
];

const mbps = (bytes: number, seconds: number): number => bytes / seconds / 1e6;
const fixed = (x: number, d = 2): string => x.toFixed(d);

/**
 * ROUNDS short passes rather than one long one: a neighbour's load then hits the bound and the DRBG of
 * the same round alike, and each reported figure is the median over rounds of that round's figure.
 */
const ROUNDS = 5;
const PASS_MS = 200;

export async function run(): Promise<void> {
  const seed = { entropy: randomBytes(48), nonce: randomBytes(24) };
  const toU8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);
  const jobs: Job[] = [];
  for (const h of HASHES) {
    const short = new Uint8Array(K_BLOCKS * h.fn.blockLen);
    const long = new Uint8Array(2 * K_BLOCKS * h.fn.blockLen);
    jobs.push({ name: `${h.name} k`, calls: 1, fn: () => void h.fn(short) });
    jobs.push({ name: `${h.name} 2k`, calls: 1, fn: () => void h.fn(long) });
    const drbg = new HmacDrbg({ hash: h.name, entropy: toU8(seed.entropy), nonce: toU8(seed.nonce) });
    for (const n of SIZES) jobs.push({ name: `${h.name} ${n}`, calls: BATCH[n] ?? 1, fn: () => void drbg.generate(n) });
  }
  for (const n of SIZES) jobs.push({ name: `randomBytes ${n}`, calls: BATCH[n] ?? 1, fn: () => void randomBytes(n) });
  const npm = new NpmDrbg({ hash: hashJs.sha512, entropy: [...seed.entropy], nonce: [...seed.nonce], pers: null });
  jobs.push({ name: 'npm 65536', calls: 1, fn: () => void npm.generate(65536) });

  const perRound = await measureRounds(jobs, ROUNDS, PASS_MS);

  const rows: string[][] = [];
  const verdicts: string[] = [];
  const blockTimes: string[] = [];
  for (const h of HASHES) {
    const tBlock = (t: Lookup): number => (t(`${h.name} 2k`) - t(`${h.name} k`)) / K_BLOCKS;
    blockTimes.push(`${h.name} ${fixed(perRound(tBlock) * 1e6, 3)} µs`);
    for (const n of SIZES) {
      const cost = 2 * Math.ceil(n / h.outLen) + 6;
      const got = perRound((t) => mbps(n, t(`${h.name} ${n}`)));
      const bound = perRound((t) => mbps(n, cost * tBlock(t)));
      const share = perRound((t) => (tBlock(t) * cost) / t(`${h.name} ${n}`));
      const goal = h.target === undefined ? undefined : n === 32 ? h.target.small : n === 65536 ? h.target.large : undefined;
      const verdict = goal === undefined ? '' : `≥ ${goal * 100} % ${share >= goal ? 'met' : 'MISSED'}`;
      rows.push([`HmacDrbg ${h.name}`, String(n), fixed(got), fixed(bound), `${fixed(share * 100, 1)} %`, verdict]);
      if (goal !== undefined) verdicts.push(`${h.name} ${n} B: ${fixed(share * 100, 1)} % of bound, ${verdict}`);
    }
  }
  for (const n of SIZES) rows.push(['crypto.randomBytes', String(n), fixed(perRound((t) => mbps(n, t(`randomBytes ${n}`)))), '', '', '']);
  const npmLarge = perRound((t) => mbps(65536, t('npm 65536')));
  const ratio = perRound((t) => t('npm 65536') / t('sha512 65536'));
  const ratioVerdict = `HmacDrbg sha512 is ${fixed(ratio, 1)}× (≥ 20× ${ratio >= 20 ? 'met' : 'MISSED'})`;
  rows.push(['npm hmac-drbg sha512', '65536', fixed(npmLarge), '', '', ratioVerdict]);
  verdicts.push(`vs npm hmac-drbg at 65536 B: ${ratioVerdict}`);

  console.log(
    `clock: process CPU time; medians of ${ROUNDS} rounds; t_block (${K_BLOCKS} vs ${2 * K_BLOCKS} blocks): ${blockTimes.join(', ')}`,
  );
  printMarkdownTable(['generator', 'bytes/call', 'MB/s', 'bound MB/s', '% of bound', 'target'], rows);
  console.log(verdicts.join('\n'));
}
