/**
 * Health of what arrives from one agent (SP 800-90B §4.4 continuous tests, applied to the contributions'
 * bytes as 8-bit samples with H = 8, α = 2^-30: an agent's pool output is conditioned and claims full
 * entropy), plus simple statistics: a repeated contribution (the same 64 bytes twice) is refused, and the
 * running fraction of one bits is watched (|z| > 6 after ≥ 8 192 bits flags the agent). An agent whose
 * arrivals fail is marked unhealthy by the aggregator, whatever it says about itself.
 */
import { sha3_256 } from '@noble/hashes/sha3.js';
import { AdaptiveProportionTest, RepetitionCountTest } from '../crypto/entropy/index.js';

export interface ArrivalStats {
  readonly contributions: number;
  readonly bits: number;
  readonly ones: number;
  readonly z: number;
  readonly failed: string | undefined;
}

const RECENT = 4096;

export class ArrivalMonitor {
  private readonly rct = new RepetitionCountTest(8, -30);
  private readonly apt = new AdaptiveProportionTest(8, -30);
  private readonly recent = new Set<string>();
  private readonly order: string[] = [];
  private contributions = 0;
  private bits = 0;
  private ones = 0;
  private failure: string | undefined;

  /** undefined when `material` passes; otherwise why it does not (and the monitor stays failed). */
  check(material: Uint8Array): string | undefined {
    if (this.failure !== undefined) return this.failure;
    const fp = Buffer.from(sha3_256(material)).toString('hex');
    if (this.recent.has(fp)) return 'the same contribution arrived twice';
    for (const b of material) {
      const alarm = this.rct.feed(b) ?? this.apt.feed(b);
      if (alarm !== undefined && alarm.level === 'permanent') {
        this.failure = `${alarm.test} test failed on arrivals`;
        return this.failure;
      }
      // Popcount without a branch on the (secret) byte.
      let v = b - ((b >>> 1) & 0x55);
      v = (v & 0x33) + ((v >>> 2) & 0x33);
      this.ones += (v + (v >>> 4)) & 0x0f;
    }
    this.bits += material.length * 8;
    this.contributions++;
    this.recent.add(fp);
    this.order.push(fp);
    if (this.order.length > RECENT) this.recent.delete(this.order.shift() as string);
    const z = this.z();
    if (this.bits >= 8192 && Math.abs(z) > 6) {
      this.failure = `bit balance off: z = ${z.toFixed(1)} over ${this.bits} bits`;
      return this.failure;
    }
    return undefined;
  }

  private z(): number {
    return this.bits === 0 ? 0 : (this.ones - this.bits / 2) / Math.sqrt(this.bits / 4);
  }

  stats(): ArrivalStats {
    return { contributions: this.contributions, bits: this.bits, ones: this.ones, z: this.z(), failed: this.failure };
  }
}
