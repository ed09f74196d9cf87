/**
 * Debian tools the server's integration tests drive, installed on first use when missing (idempotent;
 * a fresh CI machine has neither): chromium for the headless check of the HTML report, tmux for the
 * `hrng monitor` screen test. Installing needs root and Debian's apt, as on this project's machines.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function aptInstall(pkg: string): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { stdio: 'ignore', env, timeout: 600_000 });
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'ignore', env, timeout: 600_000 });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { stdio: 'ignore', env, timeout: 600_000 });
  }
}

/** The path of a chromium binary, installing Debian's `chromium` if there is none. */
export function ensureChromium(): string {
  const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  aptInstall('chromium');
  const after = candidates.find((p) => existsSync(p));
  if (!after) throw new Error('chromium is not installed and apt-get could not install it');
  return after;
}

/** The path of tmux, installing it if missing. */
export function ensureTmux(): string {
  if (!existsSync('/usr/bin/tmux')) aptInstall('tmux');
  if (!existsSync('/usr/bin/tmux')) throw new Error('tmux is not installed and apt-get could not install it');
  return '/usr/bin/tmux';
}

/** Polls `fn` every 100 ms until it returns a value; rejects after `ms`. */
export async function until<T>(what: string, fn: () => T | undefined, ms = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a detached tmux session `name` of the given size running the shell command `command`. */
export function tmuxSession(tmux: string, name: string, size: { readonly columns: number; readonly rows: number }, command: string): void {
  execFileSync(tmux, ['new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), command]);
}
