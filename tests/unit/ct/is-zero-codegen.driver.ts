// Driven by is-zero-codegen.test.ts under `node --allow-natives-syntax --print-opt-code`: compiles
// ct.isZero with TurboFan on its own (not inlined into a caller), after feedback from both answers.
import { isZero } from '../../../crypto/ct/is-zero.js';

declare function prepare(f: unknown): void;
const zero = new Uint8Array(32);
const other = new Uint8Array(32).fill(7);
// %-natives are not TypeScript; they are spelled through `eval` so the file still type-checks.
const natives = (0, eval)(
  '(f, a, b) => { %PrepareFunctionForOptimization(f); for (let i = 0; i < 100; i++) { f(a); f(b); } %OptimizeFunctionOnNextCall(f); return [f(a), f(b)]; }',
) as (f: typeof isZero, a: Uint8Array, b: Uint8Array) => [boolean, boolean];
const [z, o] = natives(isZero, zero, other);
process.stdout.write(`\nRESULT ${z} ${o}\n`);
export type { prepare };
