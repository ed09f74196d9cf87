import { describe, expect, it } from 'vitest';
import { STATE_EXIT } from '../../../cli/commands/status.js';
import { hrng } from '../../helpers/cli.js';

describe('hrng status', () => {
  it('prints the sources table, the generator state, the seed provenance and a 32-byte sample', async () => {
    const r = await hrng(['status']);
    const text = r.stdout.toString('utf8');
    expect(text).toMatch(/^generator: (healthy|degraded) — /);
    expect(r.code).toBe(text.startsWith('generator: healthy') ? 0 : 4);
    expect(text).toMatch(/^source +kind +available +credit +start-up +state +rate +credited$/m);
    for (const id of ['os', 'rdseed', 'rdrand', 'jitter', 'auxiliary']) expect(text).toMatch(new RegExp(`^${id} `, 'm'));
    expect(text).toMatch(/^jitter +raw +yes +[0-9.]+ bits\/sample +passed +healthy/m);
    expect(text).toMatch(/^last seed: draw #1 \(instantiate\), 384 bits claimed; os 448 bits \(56 bytes\)/m);
    expect(text).toMatch(/^sample \(32 bytes\): [0-9a-f]{64}$/m);
    expect(text).toMatch(/^self-tests: 4 known-answer tests passed \(SHA-512 .*HMAC_DRBG-SHA-512/m);
  });

  it('--json: one object whose sources[] has an id per source and creditBitsPerSample for raw ones', async () => {
    const r = await hrng(['status', '--json']);
    const report = JSON.parse(r.stdout.toString('utf8')) as {
      state: string;
      sources: {
        id: string;
        kind: string;
        creditBitsPerSample?: number;
        available: boolean;
        startup: string;
        rateBytesPerSecond?: number;
      }[];
      seed: { contributions: { id: string; creditedBits: number }[]; claimedBits: number };
      sample: string;
      counters: { requests: number };
    };
    expect(['healthy', 'degraded']).toContain(report.state);
    expect(r.code).toBe(STATE_EXIT[report.state as 'healthy' | 'degraded']);
    expect(report.sources.map((s) => s.id)).toEqual(['os', 'rdseed', 'rdrand', 'jitter', 'auxiliary']);
    for (const s of report.sources) {
      if (s.kind === 'raw') expect(typeof s.creditBitsPerSample).toBe('number');
      else expect(s.creditBitsPerSample).toBeUndefined();
    }
    expect(report.sources.find((s) => s.id === 'os')).toMatchObject({ available: true, startup: 'passed' });
    expect(report.sources.find((s) => s.id === 'os')?.rateBytesPerSecond).toBeGreaterThan(0);
    expect(report.seed.claimedBits).toBe(384);
    expect(report.seed.contributions.find((c) => c.id === 'os')?.creditedBits).toBe(448);
    expect(report.sample).toMatch(/^[0-9a-f]{64}$/);
    expect(report.counters.requests).toBe(1);
  });

  it('--source restricts the sources; a failed generator exits 5 and says why', async () => {
    const r = await hrng(['status', '--source', 'os', '--source', 'auxiliary']);
    expect(r.code).toBe(5);
    expect(r.stdout.toString('utf8')).toMatch(/^generator: failed — entropy policy cannot be met: only 1 healthy credited source/);
    expect(r.stderr).toMatch(/^hrng status: RNG_FAILED: random generator failed: entropy policy cannot be met/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const j = await hrng(['status', '--json', '--source', 'os', '--source', 'auxiliary']);
    expect(j.code).toBe(5);
    expect(JSON.parse(j.stdout.toString('utf8'))).toMatchObject({ state: 'failed', sources: [{ id: 'os' }, { id: 'auxiliary' }] });
    const ok = await hrng(['status', '--json', '--source', 'os', '--source', 'jitter']);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout.toString('utf8')) as { sources: { id: string }[] }).sources.map((s) => s.id)).toEqual(['os', 'jitter']);
  });

  it('bad arguments exit 2 with a one-line message pointing at the usage', async () => {
    for (const argv of [
      ['status', '--bogus'],
      ['status', '--source', 'nope'],
      ['status', 'extra'],
    ]) {
      const r = await hrng(argv);
      expect(r.code).toBe(2);
      expect(r.stderr.toString()).toMatch(/^hrng status: [^\n]+ \(see 'hrng help status'\)\n$/);
    }
    const help = await hrng(['help', 'status']);
    expect([help.code, help.stdout.toString()]).toEqual([0, expect.stringMatching(/^usage: hrng status/)]);
  });

  it('exit status by state, for monitoring: healthy 0, degraded 4, failed 5 (1 stays "could not run")', () => {
    expect(STATE_EXIT).toEqual({ healthy: 0, degraded: 4, failed: 5 });
  });

  it('hrng help status lists the degraded and failed statuses', async () => {
    const help = await hrng(['help', 'status']);
    expect(help.stdout.toString()).toMatch(/^ {2}4 {2}the generator is degraded/m);
    expect(help.stdout.toString()).toMatch(/^ {2}5 {2}the generator is failed/m);
  });
});
