/**
 * Runs one interleaved measurement in a child process (child/main.ts) and returns its reply. The child is
 * a fresh Node process, started with the same Node binary, running the TypeScript sources directly
 * (child/ts-hooks.mjs); it is killed by its pid if it outlives `timeoutMs`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildReply, ChildRequest } from './run-record.js';

const REGISTER = fileURLToPath(new URL('../child/ts-register.mjs', import.meta.url));
const MAIN = fileURLToPath(new URL('../child/main.ts', import.meta.url));

export class ChildRunError extends Error {}

export function runInChild(request: ChildRequest, timeoutMs: number): Promise<ChildReply> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REGISTER, MAIN, JSON.stringify(request)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) {
        resolve(JSON.parse(line) as ChildReply);
        return;
      }
      const why = signal === 'SIGKILL' ? `killed after ${timeoutMs} ms` : `exit ${code} ${signal ?? ''}`;
      reject(new ChildRunError(`dudect child for ${request.id}: ${why}\n${err.slice(-2000)}`));
    });
  });
}
