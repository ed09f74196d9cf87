import { describe, expect, it } from 'vitest';
import { hrng } from '../../helpers/cli.js';

describe('hrng bytes', () => {
  it('writes N bytes as hex by default, base64, or raw', async () => {
    const hex = await hrng(['bytes', '32']);
    expect(hex.code).toBe(0);
    expect(hex.stdout.toString()).toMatch(/^[0-9a-f]{64}\n$/);
    const b64 = await hrng(['bytes', '100000', '--base64']);
    expect(b64.code).toBe(0);
    const text = b64.stdout.toString().trimEnd();
    expect(text).not.toMatch(/=[^=]/); // no padding inside: chunks are multiples of 3
    expect(Buffer.from(text, 'base64')).toHaveLength(100000);
    const raw = await hrng(['bytes', '70000', '--raw']);
    expect(raw.stdout).toHaveLength(70000);
    expect(new Set(raw.stdout).size).toBeGreaterThan(200);
    const zero = await hrng(['bytes', '0', '--raw']);
    expect(zero.code).toBe(0);
    expect(zero.stdout).toHaveLength(0);
  });

  it('--json gives the data with the generator state and the seed provenance', async () => {
    const r = await hrng(['bytes', '16', '--json', '--base64']);
    const j = JSON.parse(r.stdout.toString()) as {
      bytes: number;
      encoding: string;
      data: string;
      state: string;
      seed: { claimedBits: number };
    };
    expect(j).toMatchObject({ bytes: 16, encoding: 'base64', seed: { claimedBits: 384 } });
    expect(Buffer.from(j.data, 'base64')).toHaveLength(16);
  });

  it.each([
    [['bytes'], /expected one argument N/],
    [['bytes', '-5'], /^hrng bytes: negative numbers are not accepted, got '-5' \(see 'hrng help bytes'\)$/],
    [['bytes', 'abc'], /N must be a whole number from 0 to 1073741824, got 'abc'/],
    [['bytes', '1.5'], /whole number/],
    [['bytes', String(2 ** 30 + 1)], /N must be from 0 to 1073741824/],
    [['bytes', '8', '--hex', '--raw'], /choose one of --hex, --base64, --raw/],
    [['bytes', '8', '--raw', '--json'], /--json cannot carry --raw/],
    [['bytes', '8', '--nope'], /unknown option '--nope'/],
  ])('%j exits 2 with a one-line message', async (argv, message) => {
    const r = await hrng(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(r.stdout).toHaveLength(0);
  });

  it('HRNG_LOG_LEVEL: pino JSON lines on stderr (start-up results per source), none of the output bytes', async () => {
    const r = await hrng(['bytes', '32', '--hex'], { HRNG_LOG_LEVEL: 'info' });
    expect(r.code).toBe(0);
    const hex = r.stdout.toString('utf8').trim();
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    const records = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; name: string; source?: string; msg: string });
    const started = records.filter((x) => x.msg === 'entropy source passed start-up tests').map((x) => x.source);
    expect(started).toEqual(expect.arrayContaining(['os', 'jitter', 'auxiliary']));
    expect(records.every((x) => x.name === 'hrng' && typeof x.level === 'number')).toBe(true);
    expect(records.some((x) => x.source === 'os' && x.level === 30)).toBe(true);
    expect(r.stderr).not.toContain(hex.slice(0, 16));
    const quiet = await hrng(['bytes', '4']);
    expect(quiet.stderr).toBe('');
    const bad = await hrng(['bytes', '4'], { HRNG_LOG_LEVEL: 'loud' });
    expect([bad.code, bad.stderr]).toEqual([
      2,
      "hrng bytes: HRNG_LOG_LEVEL='loud' is not one of debug, info, warn, error (see 'hrng help bytes')\n",
    ]);
  });

  it('a generator that cannot meet its policy exits 1 and prints no bytes', async () => {
    const r = await hrng(['bytes', '32', '--source', 'os']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hrng bytes: RNG_FAILED: .*entropy policy cannot be met/);
    expect(r.stdout).toHaveLength(0);
  });
});
