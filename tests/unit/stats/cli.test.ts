/**
 * `hrng test` and `hrng report` in-process: the battery over a file and over the generator, the
 * Markdown and HTML reports, and usage errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hrng } from '../cli/run-helper.js';

const dir = mkdtempSync(join(tmpdir(), 'hrng-stats-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const E = new URL('../../vectors/sts/data.e', import.meta.url).pathname;

describe('hrng test', () => {
  it('FILE (ASCII): the Appendix B P-values for data.e, as JSON', async () => {
    const r = await hrng(['test', E, '--json', '--workers', '1']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout.toString()) as {
      sequences: number;
      bitsPerSequence: number;
      results: { test: string; pValues: number[] }[];
    };
    expect([j.sequences, j.bitsPerSequence]).toEqual([1, 1_000_000]);
    const p = (t: string): string => (j.results.find((x) => x.test === t)?.pValues[0] ?? -1).toFixed(6);
    expect([p('frequency'), p('dft'), p('universal'), p('linear-complexity')]).toEqual(['0.953749', '0.847187', '0.282568', '0.826335']);
  });

  it('binary FILE split into sequences, and --strict fails a biased file', async () => {
    const f = join(dir, 'biased.bin');
    writeFileSync(f, Buffer.alloc(4000, 0xff));
    const r = await hrng(['test', f, '--bits', '8000', '--strict', '--workers', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout.toString()).toMatch(/4 sequence\(s\) of 8000 bits/);
    expect(r.stdout.toString()).toMatch(/^frequency\s+1\s+0\.000000/m);
  });

  it('--rng: sequences from the generator pass the frequency test', async () => {
    const r = await hrng(['test', '--rng', '--bits', '20000', '--sequences', '3', '--json', '--workers', '1']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout.toString()) as { sequences: number; assessment: { test: string; sequences: number }[] };
    expect(j.sequences).toBe(3);
    expect(j.assessment.find((a) => a.test === 'frequency')?.sequences).toBe(3);
  });

  it('usage errors: neither or both of FILE and --rng, bad --bits', async () => {
    expect((await hrng(['test'])).code).toBe(2);
    expect((await hrng(['test', E, '--rng'])).code).toBe(2);
    const bad = await hrng(['test', E, '--bits', 'x']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--bits must be a whole number/)]);
  });
});

describe('hrng report', () => {
  it('Markdown: every test, the 90B estimates of raw sources, the health counters', async () => {
    const r = await hrng(['report', '--sequences', '2', '--bits', '20000', '--entropy-samples', '5000', '--workers', '1']);
    expect(r.code).toBe(0);
    const md = r.stdout.toString();
    expect(md).toMatch(/^# hardened-rng randomness report/);
    for (const t of ['frequency', 'dft', 'linear-complexity', 'random-excursions-variant']) expect(md).toContain(`| ${t} |`);
    expect(md).toMatch(/## SP 800-90B min-entropy estimates/);
    expect(md).toMatch(/\| os \| conditioned \| healthy \| passed \|/);
  });

  it('HTML to a file: one self-contained page with an SVG histogram per test', async () => {
    const out = join(dir, 'r.html');
    const r = await hrng(['report', E, '--bits', '400000', '--format', 'html', '--out', out, '--entropy-samples', '0', '--workers', '1']);
    expect([r.code, r.stdout.toString()]).toEqual([0, `wrote ${out}\n`]);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg class="hist"/g)?.length).toBe(15);
    expect(html).not.toMatch(/<script|src=|href=/);
    expect(html).toContain("default-src 'none'");
  });

  it('refuses an unknown format', async () => {
    expect((await hrng(['report', '--format', 'pdf'])).code).toBe(2);
  });
});
