/**
 * Constant-time helpers: comparisons and selection whose running time does not depend on the secret
 * contents of their inputs (lengths are public).
 *
 * What is and is not safe in JavaScript, and why these functions look the way they do:
 * - Safe (as far as we can know): integer arithmetic and bitwise operators on small integers (Smis),
 *   typed-array loads/stores at public indices, loops whose trip count depends only on public lengths.
 * - Not safe: branches (`if`, `?:`, `&&`, `||`) on secret values; early exits (`return` in a loop over
 *   secret bytes, `Array.prototype.every/some/indexOf`); array or table indices derived from secret
 *   values (cache timing); `===` on strings, `Buffer.equals`, `Buffer.compare` (they stop at the first
 *   difference); converting secrets to strings, numbers beyond 31 bits (heap numbers), or BigInt.
 * - The JIT is not bound by any of this. V8 may specialise, deoptimise or turn masks back into branches;
 *   nothing in ECMAScript promises constant time. Hence `equal` delegates to OpenSSL's CRYPTO_memcmp via
 *   `timingSafeEqual`, and every helper here is measured by the dudect gate (tests/adversarial/timing/)
 *   on each change rather than trusted on reading alone. See docs/constant-time.md.
 */
export { equal } from './equal.js';
export { isZero } from './is-zero.js';
export { select } from './select.js';
export { compare } from './compare.js';
