/**
 * Ceremony contributions: the secret comes from the generator (operator text only adds to it), the
 * formats snarkjs and the KZG ceremony take, the commitment log refusing a secret already handed out,
 * the transcript holding no secret, and `hrng ceremony` end to end (0600 file, prompt input from a pipe).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeterministicRng } from '../../../crypto/testing.js';
import {
  BLS12_381_R,
  CommitmentLog,
  contributionHash,
  drawContribution,
  formatContribution,
  kzgSecrets,
} from '../../../server/ceremony.js';
import { hrng } from '../cli/run-helper.js';
import { thrown } from '../../helpers/thrown.js';
import { run } from '../../../cli/main.js';
import { PassThrough } from 'node:stream';

const dir = mkdtempSync(join(tmpdir(), 'hrng-ceremony-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const seed = new Uint8Array(32).fill(7);

describe('contribution', () => {
  it('is 64 bytes from the generator; operator input changes it; the same generator state gives the same secret', () => {
    const a = drawContribution(DeterministicRng.fromSeed(seed));
    const b = drawContribution(DeterministicRng.fromSeed(seed));
    const c = drawContribution(DeterministicRng.fromSeed(seed), new TextEncoder().encode('typed words'));
    const other = drawContribution(DeterministicRng.fromSeed(new Uint8Array(32).fill(8)));
    expect(a).toHaveLength(64);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
    expect(Buffer.from(a).equals(Buffer.from(other))).toBe(false);
    // Empty typed text adds nothing (and takes nothing away).
    expect(Buffer.from(drawContribution(DeterministicRng.fromSeed(seed), new Uint8Array(0))).equals(Buffer.from(a))).toBe(true);
  });

  it('formats: snarkjs/hex = 128 hex digits; kzg = 4 distinct scalars below r', () => {
    const s = drawContribution(DeterministicRng.fromSeed(seed));
    expect(formatContribution(s, 'snarkjs')).toMatch(/^[0-9a-f]{128}$/);
    const k = kzgSecrets(s);
    expect(k).toHaveLength(4);
    expect(new Set(k).size).toBe(4);
    for (const x of k) {
      expect(x).toMatch(/^0x[0-9a-f]{64}$/);
      expect(BigInt(x) < BLS12_381_R && BigInt(x) > 0n).toBe(true);
    }
    expect(formatContribution(s, 'kzg')).toBe(k.join('\n'));
  });
});

describe('commitment log', () => {
  it('refuses a contribution hash already handed out (the generator replaying its state)', () => {
    const log = new CommitmentLog(join(dir, 'reuse.jsonl'));
    const first = contributionHash(drawContribution(DeterministicRng.fromSeed(seed)));
    expect(log.commit(first, 'snarkjs', new Date(0))).toEqual({ hash: first, at: '1970-01-01T00:00:00.000Z', format: 'snarkjs' });
    const replay = contributionHash(drawContribution(DeterministicRng.fromSeed(seed)));
    const e = thrown(() => log.commit(replay, 'kzg', new Date(1)));
    expect(e.code).toBe('CEREMONY_REUSED');
    expect(log.records()).toHaveLength(1);
    expect(statSync(log.path).mode & 0o777).toBe(0o600);
  });
  it('refuses a malformed log rather than ignore it', () => {
    const p = join(dir, 'bad.jsonl');
    writeFileSync(p, '{"hash":"00"}\n');
    expect(thrown(() => new CommitmentLog(p).records()).code).toBe('CEREMONY_LOG_MALFORMED');
  });
});

describe('hrng ceremony', () => {
  it('kzg to a new 0600 file, transcript without the secret, hash in the log; a second run appends a different hash', async () => {
    const log = join(dir, 'cli.jsonl');
    const out = join(dir, 'kzg.txt');
    const tr = join(dir, 'transcript.json');
    const r = await hrng(['ceremony', '--format', 'kzg', '--out', out, '--log', log, '--transcript', tr]);
    expect(r.code).toBe(0);
    const secretText = readFileSync(out, 'utf8');
    expect(secretText.trim().split('\n')).toHaveLength(4);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const t = JSON.parse(readFileSync(tr, 'utf8')) as {
      contributionHash: string;
      seed: { sources: { id: string; creditedBits: number }[] };
      generator: { state: string };
    };
    expect(t.generator.state).toBe('healthy');
    expect(t.seed.sources.length).toBeGreaterThan(1);
    for (const line of secretText.trim().split('\n')) {
      expect(readFileSync(tr, 'utf8')).not.toContain(line.slice(2, 18));
      expect(r.stdout.toString()).not.toContain(line.slice(2, 18));
    }
    expect(r.stdout.toString()).toBe(`wrote the contribution to ${out} (mode 0600); hash ${t.contributionHash}\n`);
    const again = await hrng(['ceremony', '--log', log]);
    expect(again.stdout.toString()).toMatch(/^[0-9a-f]{128}\n$/);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { hash: string }).hash);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(t.contributionHash);
    expect(lines[1]).not.toBe(lines[0]);
    // never overwrites an existing contribution file
    expect((await hrng(['ceremony', '--out', out, '--log', log])).code).toBe(2);
  });

  it('--operator-input reads a line without echoing it; argv input is refused', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const stdin = new PassThrough();
    let err = '';
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    stdout.resume();
    stdin.end('correct horse battery staple\n');
    const code = await run(['ceremony', '--operator-input', '--log', join(dir, 'op.jsonl')], {
      stdout,
      stderr,
      stdin,
      env: {},
      interactive: false,
    });
    expect(code).toBe(0);
    expect(err).toContain('extra entropy');
    expect(err).not.toContain('horse');
    expect(JSON.parse(err.split('\n').find((l) => l.startsWith('{')) ?? '{}')).toMatchObject({ operatorInput: true });
    expect((await hrng(['ceremony', 'my secret words'])).code).toBe(2);
  });
});
