/**
 * cli/progress.ts: the bar's text as a table; on a terminal the bar draws (carriage return, redraw only
 * on change, one newline at the end); on anything else — a pipe, a file, progress turned off — it writes
 * no byte at all. Then `hrng probe`, `hrng test` and `hrng bench` in-process, on a stderr that claims
 * to be a terminal and on one that does not (the real-terminal and real-pipe runs are in
 * tests/integration/server/progress.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/io.js';
import { run } from '../../../cli/main.js';
import { BAR_WIDTH, barText, progressBar, showsProgress } from '../../../cli/progress.js';

/** An io whose stderr says it is (or is not) a terminal, collecting every byte written to either stream. */
function ttyIo(tty: boolean, progress?: boolean): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), tty ? { isTTY: true } : {});
  let o = '';
  let e = '';
  stdout.on('data', (c: Buffer) => (o += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (e += c.toString('utf8')));
  const io: CliIo = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: {},
    interactive: false,
    ...(progress !== undefined ? { progress } : {}),
  };
  return { io, out: () => o, err: () => e };
}

const BAR = /\r[^\r\n]* \[[#.]{30}\] \d+\/\d+/;

describe('barText', () => {
  it.each([
    [0, 10, `x [${'.'.repeat(30)}] 0/10`],
    [1, 10, `x [${'#'.repeat(3)}${'.'.repeat(27)}] 1/10`],
    [5, 10, `x [${'#'.repeat(15)}${'.'.repeat(15)}] 5/10`],
    [10, 10, `x [${'#'.repeat(30)}] 10/10`],
    [12, 10, `x [${'#'.repeat(30)}] 10/10`],
    [-3, 10, `x [${'.'.repeat(30)}] 0/10`],
    [2.7, 3, `x [${'#'.repeat(20)}${'.'.repeat(10)}] 2/3`],
  ])('%d of %d', (done, total, text) => {
    expect(barText('x', done, total)).toBe(text);
  });
  it('is BAR_WIDTH wide', () => expect(barText('x', 1, 2).match(/\[([#.]*)\]/)?.[1]).toHaveLength(BAR_WIDTH));
});

describe('progressBar', () => {
  it('on a terminal: draws with a carriage return, redraws only when the text changes, ends the line once', () => {
    const t = ttyIo(true);
    expect(showsProgress(t.io)).toBe(true);
    const bar = progressBar(t.io, 'work', 4);
    for (const d of [1, 1, 1, 2, 2, 4]) bar.tick(d);
    bar.end();
    expect(t.err()).toBe(['\r', barText('work', 1, 4), '\r', barText('work', 2, 4), '\r', barText('work', 4, 4), '\n'].join(''));
    expect(t.out()).toBe('');
  });

  it.each([
    ['a pipe (stderr not a terminal)', false, undefined],
    ['a terminal with progress turned off', true, false],
  ])('on %s: not one byte, not even the newline', (_what, tty, progress) => {
    const t = ttyIo(tty, progress);
    expect(showsProgress(t.io)).toBe(false);
    const bar = progressBar(t.io, 'work', 4);
    for (let d = 0; d <= 4; d++) bar.tick(d);
    bar.end();
    expect([t.out(), t.err()]).toEqual(['', '']);
  });

  it('a total under 2 draws nothing (a one-step job has no progress to show)', () => {
    const t = ttyIo(true);
    const bar = progressBar(t.io, 'work', 1);
    bar.tick(1);
    bar.end();
    expect(t.err()).toBe('');
  });

  it('end() without a tick writes nothing', () => {
    const t = ttyIo(true);
    progressBar(t.io, 'work', 5).end();
    expect(t.err()).toBe('');
  });
});

describe('the long commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hrng-progress-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: readonly (readonly [string, () => readonly string[], RegExp])[] = [
    [
      'probe',
      () => ['probe', 'jitter', '--samples', '140000', '--out', join(dir, 'p.bin'), '--json'],
      /probe jitter: samples \[#{30}\] 140000\/140000\n/,
    ],
    ['test', () => ['test', '--rng', '--bits', '1000', '--sequences', '4', '--workers', '1', '--json'], /SP 800-22 \[#{30}\] 4\/4\n/],
    ['bench', () => ['bench', '--ms', '5', '--json'], /bench \[#{30}\] (\d+)\/\1\n/],
  ];

  it.each(cases)('hrng %s: a bar on a terminal stderr', async (_name, argv, finalBar) => {
    const t = ttyIo(true);
    expect(await run(argv(), t.io)).toBe(0);
    expect(t.err()).toMatch(BAR);
    expect(t.err()).toMatch(finalBar);
    expect(t.out()).not.toMatch(/\[[#.]{30}\]/);
  });

  it.each(cases)('hrng %s: no progress bytes when stderr is not a terminal', async (_name, argv) => {
    const t = ttyIo(false);
    expect(await run(argv(), t.io)).toBe(0);
    expect(t.err()).not.toMatch(/\r|\[[#.]{30}\]/);
    expect(t.out()).not.toMatch(/\r|\[[#.]{30}\]/);
  });
});
