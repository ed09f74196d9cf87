/**
 * The (x, y) counts behind the MultiMMC and LZ78Y predictors (SP 800-90B §6.3.9–§6.3.10): for one
 * context x, how often each next value y followed it, and the current prediction — the most frequent
 * y, ties going to the larger y (as in NIST's ea_non_iid).
 */
export class PostfixCounts {
  private readonly counts = new Map<number, number>();
  private bestCount = 0;
  private bestValue = 0;

  get prediction(): number {
    return this.bestValue;
  }

  get predictionCount(): number {
    return this.bestCount;
  }

  /** Counts y after this context; creates a new (x, y) entry only when `mayCreate`. True if it did. */
  increment(y: number, mayCreate: boolean): boolean {
    const existing = this.counts.get(y);
    let count: number;
    let created = false;
    if (existing !== undefined) count = existing + 1;
    else if (mayCreate) {
      count = 1;
      created = true;
    } else return false;
    this.counts.set(y, count);
    if (count > this.bestCount || (count === this.bestCount && y > this.bestValue)) {
      this.bestValue = y;
      this.bestCount = count;
    }
    return created;
  }
}

/**
 * Exact keys for the context S[end−len..end−1], grown one sample at a time towards the past: as one
 * integer while radix^len stays below 2^53 (exact in a double), then continued as a string. Each
 * dictionary holds contexts of a single length, where the switch happens at the same point for every
 * key, so the mixed encoding cannot collide.
 */
export class ContextKey {
  private numeric = 0;
  private text = '';
  private length = 0;
  private end = 0;
  private readonly numericLengths: number;

  constructor(
    private readonly s: Uint8Array,
    private readonly radix: number,
  ) {
    this.numericLengths = Math.floor(53 / Math.log2(Math.max(2, radix)));
  }

  reset(end: number): void {
    this.end = end;
    this.length = 0;
    this.numeric = 0;
    this.text = '';
  }

  /** The key of the context one sample longer than the last one returned. */
  extend(): number | string {
    this.length++;
    const x = this.s[this.end - this.length]!;
    if (this.length <= this.numericLengths) {
      this.numeric = this.numeric * this.radix + x;
      if (this.length === this.numericLengths) this.text = `${this.numeric}:`;
      return this.numeric;
    }
    this.text += String.fromCharCode(x);
    return this.text;
  }
}
