/**
 * The HTML report in a real headless browser (Debian's chromium driven by puppeteer-core over the
 * DevTools protocol): the page renders — 15 test rows, one SVG histogram each, the proportion bars — with
 * no console error, no page error and no request for anything outside the page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hrng } from '../helpers/cli.js';
import { ensureChromium } from './tools.js';

const dir = mkdtempSync(join(tmpdir(), 'hrng-report-html-'));
let browser: Browser | undefined;

beforeAll(async () => {
  browser = await puppeteer.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', `--user-data-dir=${join(dir, 'profile')}`],
  });
}, 600_000); // a fresh machine installs chromium here first

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hrng report --format html in chromium', () => {
  it('renders every section with no console or page error and no outside request', async () => {
    const out = join(dir, 'report.html');
    const r = await hrng(
      ['report', '--sequences', '3', '--bits', '400000', '--format', 'html', '--out', out, '--entropy-samples', '20000', '--workers', '2'],
      {},
    );
    expect([r.code, r.stderr]).toEqual([0, expect.any(String)]);
    const page = await (browser as Browser).newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${String(e)}`));
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
    // Evaluated in the page (a string, so this file needs no DOM types).
    const shape = (await page.evaluate(`(() => ({
      title: document.title,
      rows: document.querySelectorAll('#sts tr').length,
      histograms: document.querySelectorAll('svg.hist').length,
      bars: document.querySelectorAll('svg.bars').length,
      sequences: document.getElementById('sequences')?.textContent,
      // rendered, not just parsed: the first histogram has a layout box
      width: Math.round(document.querySelector('svg.hist')?.getBoundingClientRect().width ?? 0),
    }))()`)) as { title: string; rows: number; histograms: number; bars: number; sequences: string; width: number };
    expect(shape).toEqual({
      title: 'hardened-rng randomness report',
      rows: 16,
      histograms: 15,
      bars: expect.any(Number),
      sequences: '3',
      width: 220,
    });
    expect(shape.bars).toBeGreaterThanOrEqual(2); // proportions + one per raw source
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(out).href]);
    await page.close();
  });
});
