/**
 * The trace of a run: every delivered message, timer, crash and commit is folded into a 64-bit
 * FNV-1a hash (two 32-bit lanes), so a replay proves it reproduced the run bit for bit by comparing
 * one string. FNV, not SHA-256: the trace is fed on the hot path (thousands of events a run) and only
 * has to detect divergence between two runs of our own code, not resist an adversary.
 * The last `keep` lines are kept in memory for printing a failing run's tail.
 */
const PRIME_LO = 0x01b3;
const PRIME_HI = 0x0100;

export class Trace {
  #lo = 0x84222325;
  #hi = 0xcbf29ce4;
  #events = 0;
  readonly #keep: number;
  readonly #tail: string[] = [];

  constructor(keep = 0) {
    this.#keep = keep;
  }

  get events(): number {
    return this.#events;
  }

  /** Folds one event line into the hash. */
  add(line: string): void {
    this.#events++;
    let lo = this.#lo;
    let hi = this.#hi;
    for (let i = 0; i < line.length; i++) {
      lo ^= line.charCodeAt(i);
      // 64-bit multiply by the FNV prime 2^40 + 0x1b3, in 16/32-bit pieces.
      const loMul = Math.imul(lo & 0xffff, PRIME_LO);
      const carry = (Math.imul(lo >>> 16, PRIME_LO) + (loMul >>> 16)) >>> 0;
      const newLo = ((carry << 16) | (loMul & 0xffff)) >>> 0;
      hi = (Math.imul(hi, PRIME_LO) + Math.imul(lo, PRIME_HI) + (carry >>> 16)) >>> 0;
      lo = newLo;
    }
    this.#lo = lo;
    this.#hi = hi;
    if (this.#keep > 0) {
      this.#tail.push(line);
      if (this.#tail.length > this.#keep) this.#tail.shift();
    }
  }

  /** 16 hex digits. */
  hash(): string {
    return this.#hi.toString(16).padStart(8, '0') + this.#lo.toString(16).padStart(8, '0');
  }

  tail(): readonly string[] {
    return this.#tail.slice();
  }
}
