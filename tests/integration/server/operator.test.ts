/**
 * The operator commands that need a real terminal or a real pipe, as real processes:
 * `hrng device PATH` (a FIFO) read by an ordinary reader, and `hrng monitor` driven under tmux with
 * send-keys and read with capture-pane. Processes and tmux sessions are stopped by pid / name.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTmux, tmuxSession, until } from './tools.js';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'dist/cli/hrng.js');
const dir = mkdtempSync(join(tmpdir(), 'hrng-operator-'));
const session = `hrng-monitor-${process.pid}`;
let tmux = '';

beforeAll(() => {
  if (!existsSync(bin)) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  tmux = ensureTmux();
}, 600_000);

afterAll(() => {
  try {
    execFileSync(tmux, ['kill-session', '-t', session], { stdio: 'ignore' });
  } catch {
    // already gone
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('hrng device', () => {
  it('creates a FIFO, hands 1 MiB of distinct bytes to a reader, and removes the FIFO after --once', async () => {
    const fifo = join(dir, 'hrng.fifo');
    const child = spawn(process.execPath, [bin, 'device', fifo, '--once'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve) => createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', () => resolve()));
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(lstatSync(fifo).mode & 0o777).toBe(0o600);
      const data = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let n = 0;
        const rs = createReadStream(fifo);
        rs.on('data', (c) => {
          const b = c as Buffer;
          chunks.push(b);
          n += b.length;
          if (n >= 1 << 20) {
            rs.destroy();
            resolve(Buffer.concat(chunks).subarray(0, 1 << 20));
          }
        });
        rs.on('error', reject);
      });
      expect(data.length).toBe(1 << 20);
      expect(new Set(data.subarray(0, 4096)).size).toBeGreaterThan(200);
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
      expect(existsSync(fifo)).toBe(false);
    } finally {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }
  });
});

describe('hrng monitor under tmux', () => {
  it('draws the live view, reseeds on r, quits on q', async () => {
    const capture = (): string => execFileSync(tmux, ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
    tmuxSession(tmux, session, { columns: 140, rows: 30 }, `${process.execPath} ${bin} monitor --interval 200; echo "exit=$?"; sleep 30`);
    const first = await until('the monitor screen', () => (/hrng monitor — state healthy/.test(capture()) ? capture() : undefined));
    expect(first).toMatch(/reseeds 0;/);
    expect(first).toMatch(/^os\s+conditioned\s+healthy\s+passed/m);
    expect(first).toContain('keys: r reseed now · q quit');
    execFileSync(tmux, ['send-keys', '-t', session, 'r']);
    await until('reseeds 1', () => (/reseeds 1;/.test(capture()) ? true : undefined));
    execFileSync(tmux, ['send-keys', '-t', session, 'q']);
    const last = await until('the monitor to exit', () => (/exit=\d+/.test(capture()) ? capture() : undefined));
    expect(last).toContain('hrng monitor: stopped');
    expect(last).toContain('exit=0');
  });
});
