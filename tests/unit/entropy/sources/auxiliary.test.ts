import { describe, expect, it } from 'vitest';
import { AuxiliarySource } from '../../../../crypto/entropy/sources/auxiliary.js';

describe('AuxiliarySource', () => {
  it('is mixed in but credited 0 bits', () => {
    const aux = new AuxiliarySource();
    expect(aux.id).toBe('auxiliary');
    expect(aux.kind).toBe('conditioned');
    expect(aux.creditBitsPerByte).toBe(0);
    expect(aux.available()).toBe(true);
  });

  it('returns exactly the bytes asked for', () => {
    const aux = new AuxiliarySource();
    for (const n of [0, 1, 31, 64, 1000]) expect(aux.read(n).length).toBe(n);
  });

  it('never repeats a block: each read takes a fresh snapshot', () => {
    const aux = new AuxiliarySource();
    const a = aux.read(64);
    const b = aux.read(64);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('serializes the process state little-endian: read counter, hrtime, clocks, then the pid', () => {
    const aux = new AuxiliarySource();
    const before = process.hrtime.bigint();
    const snap = aux.snapshot();
    const view = new DataView(snap.buffer, snap.byteOffset, snap.byteLength);
    expect(view.getBigUint64(0, true)).toBe(1n);
    expect(view.getBigUint64(8, true) >= before).toBe(true);
    expect(view.getBigUint64(32, true)).toBe(BigInt(process.pid));
    expect(view.getBigUint64(40, true)).toBe(BigInt(process.ppid));
    expect(aux.snapshot().length).toBeGreaterThan(100);
  });
});
