/**
 * Progress bars of the long commands as real processes (cli/progress.ts): under a real pseudo-terminal
 * (a tmux pane; stdout redirected to a file so the pane shows stderr) `hrng probe`, `hrng report` and
 * `hrng bench` draw their bars; with stdout and stderr on pipes not one progress byte appears on either.
 * tmux sessions are stopped by name, child processes by pid.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTmux, tmuxSession, until } from './tools.js';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'dist/cli/hrng.js');
const dir = mkdtempSync(join(tmpdir(), 'hrng-progress-'));
let tmux = '';
const sessions: string[] = [];

beforeAll(() => {
  if (!existsSync(bin)) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  tmux = ensureTmux();
}, 600_000);

afterAll(() => {
  for (const s of sessions) {
    try {
      execFileSync(tmux, ['kill-session', '-t', s], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

const BAR = /\[[#.]{30}\] \d+\/\d+/;

interface Case {
  readonly name: string;
  readonly args: (tag: string) => readonly string[];
  /** The bars the command's stderr must end with on a terminal (each bar's final state). */
  readonly finalBars: readonly RegExp[];
}

const CASES: readonly Case[] = [
  {
    name: 'probe',
    args: (tag) => ['probe', 'jitter', '--samples', '140000', '--out', join(dir, `probe-${tag}.bin`)],
    finalBars: [/probe jitter: samples \[#{30}\] 140000\/140000/],
  },
  {
    name: 'report',
    args: (tag) => [
      'report',
      '--bits',
      '1000',
      '--sequences',
      '4',
      '--workers',
      '1',
      '--entropy-samples',
      '66000',
      '--out',
      join(dir, `report-${tag}.md`),
    ],
    finalBars: [/SP 800-22 \[#{30}\] 4\/4/, /reading jitter \[#{30}\] 2\/2/],
  },
  {
    name: 'bench',
    args: () => ['bench', '--ms', '20', '--json'],
    finalBars: [/bench \[#{30}\] (\d+)\/\1/],
  },
];

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

describe('progress bars under a pseudo-terminal (tmux)', () => {
  it.each(CASES)(
    'hrng $name draws its bar on the terminal, never on stdout',
    async (c) => {
      const session = `hrng-progress-${c.name}-${process.pid}`;
      sessions.push(session);
      const outFile = join(dir, `${c.name}-tty.out`);
      const cmd = [process.execPath, bin, ...c.args('tty')].map(quote).join(' ');
      tmuxSession(tmux, session, { columns: 200, rows: 40 }, `${cmd} > ${quote(outFile)}; echo "exit=$?"; sleep 60`);
      const capture = (): string => execFileSync(tmux, ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
      const screen = await until(`hrng ${c.name} to exit`, () => (/exit=\d+/.test(capture()) ? capture() : undefined), 120_000);
      execFileSync(tmux, ['kill-session', '-t', session], { stdio: 'ignore' });
      expect(screen).toContain('exit=0');
      for (const bar of c.finalBars) expect(screen).toMatch(bar);
      expect(readFileSync(outFile, 'utf8')).not.toMatch(BAR);
    },
    180_000,
  );
});

describe('no progress when piped', () => {
  it.each(CASES)(
    'hrng $name: not one progress byte on stdout or stderr',
    async (c) => {
      const child = spawn(process.execPath, [bin, ...c.args('pipe')], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on('data', (b: Buffer) => out.push(b));
        child.stderr.on('data', (b: Buffer) => err.push(b));
        const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        expect(code).toBe(0);
        for (const text of [stdout, stderr]) {
          expect(text).not.toContain('\r');
          expect(text).not.toMatch(BAR);
        }
      } finally {
        if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      }
    },
    180_000,
  );
});
