/**
 * A simulated disk with a page cache: `write` lands in volatile memory, `fsync` makes it durable, and a
 * crash keeps only what was durable — plus what the kernel would have written back on its own
 * (`writebackMs` after the write), and, with a torn-write fault, a prefix of the last pending write.
 * Synchronous on purpose: a simulated disk costs no event and no await.
 *
 * Not modelled: misdirected writes, read errors, sector-level corruption of durable data.
 */
interface FileState {
  durable: Uint8Array | undefined;
  /** The newest write not yet durable, and when it was made. */
  pending: { bytes: Uint8Array | undefined; at: number } | undefined;
}

export interface CrashOptions {
  /** Virtual time of the crash. */
  readonly now: number;
  /** Pending writes older than this are assumed written back by the OS; Infinity: never. */
  readonly writebackMs: number;
  /** When given, each still-pending write is torn (a random prefix over the old bytes) with this draw. */
  readonly tear?: (name: string, length: number) => number | undefined;
}

export class SimDisk {
  readonly name: string;
  readonly #files = new Map<string, FileState>();
  writes = 0;
  fsyncs = 0;

  constructor(name: string) {
    this.name = name;
  }

  read(file: string): Uint8Array | undefined {
    const f = this.#files.get(file);
    if (f === undefined) return undefined;
    return f.pending !== undefined ? f.pending.bytes : f.durable;
  }

  /** With `writebackMs`, a pending write that old is written back (durable) before this one replaces it. */
  write(file: string, bytes: Uint8Array, now: number, writebackMs = Number.POSITIVE_INFINITY): void {
    this.adopt(file, bytes.slice(), now, writebackMs);
  }

  /** `write` without the copy: the disk takes `bytes` over, and the caller never changes them again. */
  adopt(file: string, bytes: Uint8Array, now: number, writebackMs = Number.POSITIVE_INFINITY): void {
    this.writes++;
    let f = this.#files.get(file);
    if (f === undefined) this.#files.set(file, (f = { durable: undefined, pending: undefined }));
    if (f.pending !== undefined && now - f.pending.at >= writebackMs) f.durable = f.pending.bytes;
    f.pending = { bytes, at: now };
  }

  remove(file: string, now: number): void {
    const f = this.#files.get(file);
    if (f !== undefined) f.pending = { bytes: undefined, at: now };
  }

  fsync(file: string): void {
    this.fsyncs++;
    const f = this.#files.get(file);
    if (f?.pending === undefined) return;
    f.durable = f.pending.bytes;
    f.pending = undefined;
  }

  /** Writes `bytes` durably but only its first `keep` bytes over the old content: a torn write. */
  tornWrite(file: string, bytes: Uint8Array, keep: number): void {
    const f = this.#files.get(file) ?? { durable: undefined, pending: undefined };
    const old = f.durable ?? new Uint8Array(0);
    const out = new Uint8Array(Math.max(old.length, keep));
    out.set(old.subarray(0, out.length));
    out.set(bytes.subarray(0, keep));
    f.durable = out.subarray(0, Math.max(keep, Math.min(old.length, bytes.length)));
    f.pending = undefined;
    this.#files.set(file, f);
  }

  /** What survives a power loss at `now`. */
  crash(opts: CrashOptions): void {
    for (const [name, f] of this.#files) {
      const p = f.pending;
      if (p === undefined) continue;
      if (opts.now - p.at >= opts.writebackMs) {
        f.durable = p.bytes;
      } else if (opts.tear !== undefined && p.bytes !== undefined) {
        const keep = opts.tear(name, p.bytes.length);
        if (keep !== undefined) {
          f.pending = undefined;
          this.tornWrite(name, p.bytes, keep);
          continue;
        }
      }
      f.pending = undefined;
    }
  }

  /** A copy of what is durable now (a backup). */
  backup(): Map<string, Uint8Array | undefined> {
    const out = new Map<string, Uint8Array | undefined>();
    for (const [name, f] of this.#files) out.set(name, f.durable?.slice());
    return out;
  }

  /** Replaces the whole disk by a backup (an operator restoring an old image). */
  restore(backup: ReadonlyMap<string, Uint8Array | undefined>): void {
    this.#files.clear();
    for (const [name, bytes] of backup) this.#files.set(name, { durable: bytes?.slice(), pending: undefined });
  }

  /** The disk is lost or replaced: every file gone (amnesia). */
  wipe(): void {
    this.#files.clear();
  }
}
