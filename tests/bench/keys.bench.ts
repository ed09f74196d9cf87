/**
 * Validator keys: key generations/s and signatures/s per scheme through our contract (generateKey on
 * the real Rng; SoftwareSigner.sign, async) against bare noble (its own keygen() randomness, its
 * synchronous sign) in the same run — target ≥ 90 % — and the cost of signing under the double-sign
 * guard, with the fsync cost it contains reported on its own.
 *
 * Ours and bare alternate batch by batch (A B A B …) so drift in the machine's speed hits both; each side's
 * figure is the median batch. Key generation and signing are CPU-bound and timed on process CPU time;
 * guarded signing waits on the disk and is timed on the wall clock.
 */
import { mkdtempSync, openSync, closeSync, fsyncSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ed from '@noble/ed25519';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { slh_dsa_sha2_128s } from '@noble/post-quantum/slh-dsa.js';
import { encodeHrngSignBytes, SigningGuard } from '../../consensus/index.js';
import { Rng } from '../../crypto/drbg/rng.js';
import { writeFileAtomic } from '../../crypto/fs/index.js';
import { generateKey } from '../../crypto/keys/generate.js';
import type { SoftwareScheme } from '../../crypto/keys/schemes.js';
import { SoftwareSigner } from '../../crypto/keys/software-signer.js';
import { cpuMs, median, printTable } from './cpu-time.js';

type Timer = () => number;
const wallMs: Timer = () => performance.now();

/** Alternates `a` and `b` batches; returns each side's median milliseconds per operation. */
async function paired(rounds: number, batch: number, a: () => unknown, b: () => unknown, timer: Timer = cpuMs): Promise<[number, number]> {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [fn, out] of [
      [a, ta],
      [b, tb],
    ] as const) {
      const t0 = timer();
      for (let i = 0; i < batch; i++) await fn();
      out.push((timer() - t0) / batch);
    }
  }
  return [median(ta), median(tb)];
}

const rate = (ms: number): string => (ms > 0 ? (1000 / ms).toFixed(ms < 1 ? 0 : 1) : '-');
const pct = (ours: number, bare: number): string => `${((bare / ours) * 100).toFixed(0)} %`;

interface Plan {
  scheme: SoftwareScheme;
  keygen: { rounds: number; batch: number; bare: () => unknown };
  sign: { rounds: number; batch: number; bare: (sk: Uint8Array, m: Uint8Array) => unknown };
}

const PLANS: Plan[] = [
  {
    scheme: 'ed25519',
    keygen: { rounds: 31, batch: 20, bare: () => ed.keygen() },
    sign: { rounds: 31, batch: 20, bare: (sk, m) => ed.sign(m, sk) },
  },
  {
    scheme: 'ml-dsa-65',
    keygen: { rounds: 11, batch: 5, bare: () => ml_dsa65.keygen() },
    sign: { rounds: 11, batch: 5, bare: (sk, m) => ml_dsa65.sign(m, sk) },
  },
  {
    scheme: 'slh-dsa-sha2-128s',
    keygen: { rounds: 5, batch: 1, bare: () => slh_dsa_sha2_128s.keygen() },
    sign: { rounds: 3, batch: 1, bare: (sk, m) => slh_dsa_sha2_128s.sign(m, sk) },
  },
];

export async function run(): Promise<void> {
  const rng = await Rng.create();
  const message = new TextEncoder().encode('a prevote for block 0xabc at height 1000 round 0, about the size of a CometBFT vote');
  const rows: string[][] = [['scheme', 'operation', 'ours /s', 'bare noble /s', 'ours / bare']];
  for (const plan of PLANS) {
    const [kOurs, kBare] = await paired(
      plan.keygen.rounds,
      plan.keygen.batch,
      () => generateKey(plan.scheme, { rng }).seed.dispose(),
      plan.keygen.bare,
    );
    rows.push([plan.scheme, 'keygen', rate(kOurs), rate(kBare), pct(kOurs, kBare)]);

    const key = generateKey(plan.scheme, { rng });
    using signer = SoftwareSigner.fromRecord(key, { rng });
    const sk = key.seed.use((s) =>
      plan.scheme === 'ed25519'
        ? s.slice()
        : plan.scheme === 'ml-dsa-65'
          ? ml_dsa65.keygen(s).secretKey
          : slh_dsa_sha2_128s.keygen(s).secretKey,
    );
    const [sOurs, sBare] = await paired(
      plan.sign.rounds,
      plan.sign.batch,
      () => signer.sign(message),
      () => plan.sign.bare(sk, message),
    );
    rows.push([plan.scheme, 'sign', rate(sOurs), rate(sBare), pct(sOurs, sBare)]);
    sk.fill(0);
    key.seed.dispose();
  }
  printTable(rows);

  // Guarded signing (Ed25519, where the guard's share is largest): two atomic state writes per signature.
  const dir = mkdtempSync(join(tmpdir(), 'hrng-bench-guard-'));
  try {
    const guard = await SigningGuard.open({ dir, init: true });
    using signer = SoftwareSigner.fromRecord(generateKey('ed25519', { rng }));
    let height = 0;
    const [guarded, bare] = await paired(
      9,
      20,
      () => guard.sign(signer, encodeHrngSignBytes({ chainId: 'bench', hrs: { height: ++height, round: 0, step: 1 }, body: message })),
      () => signer.sign(message),
      wallMs,
    );
    const file = join(dir, 'probe.json');
    const payload = new Uint8Array(260).fill(0x61);
    const [atomic, fsyncOnly] = await paired(
      9,
      20,
      () => writeFileAtomic(file, payload),
      () => {
        const fd = openSync(join(dir, 'raw'), 'w');
        writeSync(fd, payload);
        fsyncSync(fd);
        closeSync(fd);
      },
      wallMs,
    );
    printTable([
      ['ed25519 signing', 'ms / signature', 'signatures /s'],
      ['unguarded (SoftwareSigner.sign)', bare.toFixed(3), rate(bare)],
      ['guarded (SigningGuard.sign, durable)', guarded.toFixed(3), rate(guarded)],
      ['  of which: 2 atomic state writes', (2 * atomic).toFixed(3), ''],
      [
        '  of which: fsync of a small file, alone',
        fsyncOnly.toFixed(3),
        `(${(((4 * fsyncOnly) / guarded) * 100).toFixed(0)} % of guarded: 4 fsyncs)`,
      ],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rng.destroy();
  }
}
