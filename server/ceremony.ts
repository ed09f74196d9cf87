/**
 * Contribution entropy for multi-party ceremonies (Powers of Tau with snarkjs; the Ethereum KZG
 * ceremony): docs/ceremony.md.
 *
 * The secret is 64 bytes from the `Rng` (a health-checked SP 800-90A DRBG seeded from SP 800-90B-tested
 * sources), optionally mixed with text the operator typed: secret = HKDF-SHA-512(IKM = rng bytes,
 * salt = "hrng/ceremony/v1", info = SHA-512(operator input)). The Rng output alone carries the entropy;
 * operator input can add to it but never replaces it (a weak or empty input changes nothing).
 *
 * Output forms: `snarkjs` — the 128-hex-digit text for `snarkjs powersoftau contribute … -e`, which
 * hashes its entropy text into its own RNG; `kzg` — the four secrets of the Ethereum KZG ceremony (one
 * per sub-ceremony), each HKDF-Expand(secret, "hrng/ceremony/kzg/<i>", 48 bytes) reduced mod the
 * BLS12-381 group order r (48 bytes make the reduction's bias < 2^-128), as 0x-prefixed hex;
 * `hex` — the secret itself.
 *
 * Reuse refusal: before a secret is handed out, SHA-256("hrng/ceremony/v1/commitment" ‖ secret) is
 * appended (fsynced) to a local commitment log; a hash already in the log is refused with
 * CEREMONY_REUSED. The log and the transcript hold hashes, never the secret.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { hkdf, type HealthReport, type RandomSource } from '../crypto/index.js';
import { check, ServerError } from './errors.js';

export const CEREMONY_FORMATS = ['snarkjs', 'kzg', 'hex'] as const;
export type CeremonyFormat = (typeof CEREMONY_FORMATS)[number];

const SECRET_BYTES = 64;
const enc = new TextEncoder();
const SALT = enc.encode('hrng/ceremony/v1');
/** The BLS12-381 scalar field order r. */
export const BLS12_381_R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

/** 64 secret bytes from `random`, mixed with the operator's input if any. The caller zeroes the result. */
export function drawContribution(random: RandomSource, operatorInput?: Uint8Array): Uint8Array {
  const ikm = random.randomBytes(SECRET_BYTES);
  check.bytes(ikm, 'random output', { length: SECRET_BYTES });
  const info = new Uint8Array(
    createHash('sha512')
      .update(operatorInput ?? new Uint8Array(0))
      .digest(),
  );
  const secret = hkdf('sha512', ikm, SALT, info, SECRET_BYTES);
  ikm.fill(0);
  return secret;
}

export function contributionHash(secret: Uint8Array): string {
  return createHash('sha256').update('hrng/ceremony/v1/commitment').update(secret).digest('hex');
}

function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** The four KZG ceremony secrets derived from `secret`. */
export function kzgSecrets(secret: Uint8Array): string[] {
  return [0, 1, 2, 3].map((i) => {
    const okm = hkdf('sha512', secret, SALT, enc.encode(`hrng/ceremony/kzg/${i}`), 48);
    const s = toBigInt(okm) % BLS12_381_R;
    okm.fill(0);
    return `0x${s.toString(16).padStart(64, '0')}`;
  });
}

/** The text handed to the ceremony tool (contains the secret). */
export function formatContribution(secret: Uint8Array, format: CeremonyFormat): string {
  switch (format) {
    case 'snarkjs':
    case 'hex':
      return Buffer.from(secret).toString('hex');
    case 'kzg':
      return kzgSecrets(secret).join('\n');
  }
}

export interface CommitmentRecord {
  readonly hash: string;
  readonly at: string;
  readonly format: CeremonyFormat;
}

/** The local commitment log: one JSON record per line, append-only, fsynced. */
export class CommitmentLog {
  readonly path: string;
  constructor(path: string) {
    this.path = check.string(path, 'log path', { minLength: 1 });
  }

  records(): CommitmentRecord[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l, i) => {
        let r: unknown;
        try {
          r = JSON.parse(l);
        } catch {
          r = undefined;
        }
        const rec = r as Partial<CommitmentRecord> | undefined;
        if (!rec || typeof rec.hash !== 'string' || !/^[0-9a-f]{64}$/.test(rec.hash))
          throw new ServerError('CEREMONY_LOG_MALFORMED', `commitment log line ${i + 1} is not a contribution record`);
        return rec as CommitmentRecord;
      });
  }

  /** Records `hash`, or refuses with CEREMONY_REUSED when it is already there. */
  commit(hash: string, format: CeremonyFormat, now: Date): CommitmentRecord {
    if (this.records().some((r) => r.hash === hash))
      throw new ServerError(
        'CEREMONY_REUSED',
        `contribution ${hash.slice(0, 16)}… is already in the commitment log ${this.path}; refusing to hand it out again`,
      );
    const record: CommitmentRecord = { hash, at: now.toISOString(), format };
    const fd = openSync(this.path, 'a', 0o600);
    try {
      writeSync(fd, JSON.stringify(record) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return record;
  }
}

export interface Transcript {
  readonly version: 'hrng-ceremony/v1';
  readonly createdAt: string;
  readonly format: CeremonyFormat;
  readonly contributionHash: string;
  readonly operatorInput: boolean;
  readonly generator: { readonly state: string; readonly hash: string; readonly selfTests: readonly string[] };
  readonly seed?: {
    readonly drawCounter: number;
    readonly purpose: string;
    readonly claimedBits: number;
    readonly sources: readonly { readonly id: string; readonly kind: string; readonly creditedBits: number }[];
  };
  readonly sources: readonly { readonly id: string; readonly state: string; readonly startup: string; readonly alarms: number }[];
}

/** What happened, without the secret: which sources seeded the generator, their credits and health. */
export interface TranscriptInput {
  readonly health: HealthReport;
  readonly hash: string;
  readonly format: CeremonyFormat;
  readonly operatorInput: boolean;
  readonly now: Date;
}

export function transcript({ health, hash, format, operatorInput, now }: TranscriptInput): Transcript {
  return {
    version: 'hrng-ceremony/v1',
    createdAt: now.toISOString(),
    format,
    contributionHash: hash,
    operatorInput,
    generator: { state: health.state, hash: health.hash, selfTests: health.selfTests.map((t) => t.name) },
    ...(health.seed
      ? {
          seed: {
            drawCounter: health.seed.drawCounter,
            purpose: health.seed.purpose,
            claimedBits: health.seed.claimedBits,
            sources: health.seed.contributions.map((c) => ({ id: c.id, kind: c.kind, creditedBits: c.creditedBits })),
          },
        }
      : {}),
    sources: health.sources.map((s) => ({ id: s.id, state: s.state, startup: s.startup, alarms: s.alarms })),
  };
}
