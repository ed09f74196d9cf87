/**
 * Auxiliary input: process, clock and system state (pid, high-resolution time, uptimes, load,
 * memory, CPU times, network interface addresses), mixed into the pool and credited 0 bits.
 *
 * Why 0: every field is observable or guessable by a local attacker (/proc, `ps`, `ip addr`) and
 * much of it by a remote one (uptime and interface addresses leak through many protocols). It plays
 * the part of SP 800-90A §8.7.2 additional input: harmless if known, helpful if not (it separates
 * cloned VMs and forked processes). The snapshot is serialized to bytes and expanded with SHAKE256
 * (FIPS 202) so that `read(n)` returns exactly n bytes for any n.
 */
import { shake256 } from '@noble/hashes/sha3.js';
import { cpus, freemem, hostname, loadavg, networkInterfaces, uptime } from 'node:os';
import { EntropySourceError } from '../source.js';
import type { EntropySource } from '../source.js';
import { checkReadRequest } from './request.js';

/** Little-endian, length-prefixed: an unambiguous encoding, so two different snapshots never collide. */
class SnapshotWriter {
  private readonly chunks: Uint8Array[] = [];
  private readonly encoder = new TextEncoder();

  u64(value: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    this.chunks.push(b);
  }

  f64(value: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.chunks.push(b);
  }

  text(value: string): void {
    const bytes = this.encoder.encode(value);
    this.u64(BigInt(bytes.length));
    this.chunks.push(bytes);
  }

  bytes(): Uint8Array {
    let length = 0;
    for (const c of this.chunks) length += c.length;
    const out = new Uint8Array(length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

export class AuxiliarySource implements EntropySource {
  readonly id = 'auxiliary';
  readonly kind = 'conditioned' as const;
  readonly creditBitsPerByte = 0;
  private reads = 0n;

  available(): boolean {
    return true;
  }

  unavailableReason(): string | undefined {
    return undefined;
  }

  read(bytes: number): Uint8Array {
    checkReadRequest(this.id, bytes);
    try {
      return shake256(this.snapshot(), { dkLen: bytes });
    } catch (cause) {
      throw new EntropySourceError('ENTROPY_SOURCE_READ_FAILED', this.id, 'could not read system state', { cause });
    }
  }

  /** The serialized state; exported for tests and for operators who want to see what is mixed in. */
  snapshot(): Uint8Array {
    const w = new SnapshotWriter();
    this.reads += 1n;
    w.u64(this.reads);
    w.u64(process.hrtime.bigint());
    w.f64(Date.now());
    w.f64(performance.now());
    w.u64(BigInt(process.pid));
    w.u64(BigInt(process.ppid));
    w.f64(process.uptime());
    w.f64(uptime());
    for (const l of loadavg()) w.f64(l);
    w.f64(freemem());
    const mem = process.memoryUsage();
    for (const v of [mem.rss, mem.heapTotal, mem.heapUsed, mem.external, mem.arrayBuffers]) w.f64(v);
    const ru = process.resourceUsage();
    for (const v of [ru.userCPUTime, ru.systemCPUTime, ru.maxRSS, ru.minorPageFault, ru.majorPageFault]) w.f64(v);
    for (const v of [ru.voluntaryContextSwitches, ru.involuntaryContextSwitches, ru.fsRead, ru.fsWrite]) w.f64(v);
    for (const cpu of cpus()) {
      const t = cpu.times;
      for (const v of [t.user, t.nice, t.sys, t.idle, t.irq]) w.f64(v);
    }
    w.text(hostname());
    for (const [name, addrs] of Object.entries(networkInterfaces())) {
      w.text(name);
      for (const a of addrs ?? []) {
        w.text(a.mac);
        w.text(a.address);
      }
    }
    w.u64(process.hrtime.bigint());
    return w.bytes();
  }
}
