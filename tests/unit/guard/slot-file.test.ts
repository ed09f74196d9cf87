/**
 * The double-buffered slot file (consensus/guard/slot-file.ts): the layout against hand-written bytes
 * (checksums from coreutils `sha256sum` over the header and payload), then properties over any sequence of
 * writes and any torn, zeroed or bit-flipped slot, then the refusals, then one real file torn by hand.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  currentSlot,
  decodeSlot,
  encodeSlot,
  MAX_SLOT_PAYLOAD,
  MIN_SLOT_BYTES,
  planNextSlot,
  readSlotFileSync,
  slotFileImage,
  slotSizeFor,
  writeNextSlot,
  type CurrentSlot,
} from '../../../consensus/guard/slot-file.js';
import { thrown } from '../../helpers/thrown.js';

const thrownCode = (fn: () => unknown): string => thrown(fn).code;

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const PATH = '/guard/k.state';

/** Applies a planned write to an in-memory file (what pwrite does when it completes). */
function apply(file: Uint8Array, current: CurrentSlot, payload: Uint8Array): CurrentSlot {
  const w = planNextSlot(current, payload);
  file.set(w.block, w.position);
  return w.next;
}

/** A file after writing `payloads` in order (the first creates it); the states it held, oldest first. */
function written(payloads: readonly string[]): { file: Uint8Array; current: CurrentSlot } {
  const [first, ...rest] = payloads;
  const file = slotFileImage(1n, enc(first ?? ''));
  let current = currentSlot(file, PATH);
  for (const p of rest) current = apply(file, current, enc(p));
  return { file, current };
}

describe('slot layout (vectors)', () => {
  it('sequence 1, payload "hello": magic, version, length, sequence (LE), payload, SHA-256 of all before it', () => {
    const expected =
      '68726e67736c6f74' + // "hrngslot"
      '01000000' + // format version 1
      '05000000' + // payload length 5
      '0100000000000000' + // sequence 1
      '68656c6c6f' + // "hello"
      '70499768b3783e18fc305b5e688615f51500a9ffe114dc2031d56d51d79f7dae'; // sha256sum of the 29 bytes above
    expect(hex(encodeSlot(1n, enc('hello')))).toBe(expected);
  });

  it('sequence 0x0102030405060708, payload "{}": the sequence is little-endian and covered by the checksum', () => {
    const expected =
      '68726e67736c6f74' +
      '01000000' +
      '02000000' +
      '0807060504030201' +
      '7b7d' +
      '62168a524dd0546ac4f47162f9055d82ecb99111b472ea053ae3979cfbf1ddb1';
    const slot = encodeSlot(0x0102030405060708n, enc('{}'));
    expect(hex(slot)).toBe(expected);
    expect(decodeSlot(slot)).toEqual({ valid: true, sequence: 0x0102030405060708n, payload: enc('{}') });
  });

  it('a new file is two 4096-byte slots, the second all zeros; a write fills the other slot to a page boundary', () => {
    const image = slotFileImage(1n, enc('hello'));
    expect(image.length).toBe(8192);
    expect(hex(image.subarray(0, 61))).toBe(hex(encodeSlot(1n, enc('hello'))));
    expect(image.subarray(61).every((b) => b === 0)).toBe(true);
    const w = planNextSlot(currentSlot(image, PATH), enc('world!'));
    expect([w.position, w.block.length, w.next.index, w.next.sequence]).toEqual([4096, 4096, 1, 2n]);
    expect(hex(w.block.subarray(0, 62))).toBe(hex(encodeSlot(2n, enc('world!'))));
    // Slot sizes grow by powers of two for larger records (an SLH-DSA signature in hex is ~16 KB).
    expect([slotSizeFor(0), slotSizeFor(4040), slotSizeFor(4041), slotSizeFor(16_000)]).toEqual([4096, 4096, 8192, 16_384]);
    expect(slotSizeFor(MAX_SLOT_PAYLOAD)).toBe(1 << 20);
    expect(thrownCode(() => encodeSlot(1n, new Uint8Array(MAX_SLOT_PAYLOAD + 1)))).toBe('GUARD_STORE_FAILED');
    expect(thrownCode(() => encodeSlot(0n, enc('x')))).toBe('CONSENSUS_INVALID_ARGUMENT');
  });
});

const payloads = fc.array(fc.string({ minLength: 0, maxLength: 600 }), { minLength: 1, maxLength: 12 });

describe('slot file properties (fast-check)', () => {
  it('any sequence of writes, then a read, gives the last write', () => {
    fc.assert(
      fc.property(payloads, (ps) => {
        const { file, current } = written(ps);
        const read = currentSlot(file, PATH);
        expect(dec(read.payload)).toBe(ps[ps.length - 1]);
        expect(read.sequence).toBe(BigInt(ps.length));
        expect(read).toEqual(current);
      }),
      { numRuns: 200 },
    );
  });

  it('a write torn anywhere (any mix of old and new 512-byte sectors, cut at any byte) reads as the last or the new state', () => {
    const tear = fc.record({
      sectors: fc.array(fc.constantFrom('old', 'new', 'zero', 'garbage'), { minLength: 8, maxLength: 8 }),
      cut: fc.nat(4096),
      garbage: fc.uint8Array({ minLength: 512, maxLength: 512 }),
    });
    fc.assert(
      fc.property(payloads, fc.string({ maxLength: 600 }), tear, (ps, nextPayload, t) => {
        const { file, current } = written(ps);
        const w = planNextSlot(current, enc(nextPayload));
        const before = file.slice(w.position, w.position + w.block.length);
        // Each sector of the slot: what the disk kept, then the write cut off at `cut` bytes.
        for (let s = 0; s < 8; s++) {
          const kind = t.sectors[s];
          const src = kind === 'new' ? w.block : kind === 'old' ? before : kind === 'zero' ? new Uint8Array(4096) : undefined;
          for (let i = s * 512; i < (s + 1) * 512; i++) {
            file[w.position + i] = i >= t.cut ? (before[i] ?? 0) : src === undefined ? (t.garbage[i - s * 512] ?? 0) : (src[i] ?? 0);
          }
        }
        const got = dec(currentSlot(file, PATH).payload);
        expect([ps[ps.length - 1], nextPayload]).toContain(got);
        // All sectors new and nothing cut: the write happened whole.
        if (t.cut === 4096 && t.sectors.every((k) => k === 'new')) expect(got).toBe(nextPayload);
      }),
      {
        numRuns: 300,
        // Found by this property on a clean-clone run: only the magic of the new slot landed (version 0
        // after it), which an earlier build refused as "another format version" instead of ignoring.
        examples: [[[''], '', { sectors: ['new', 'old', 'old', 'old', 'old', 'old', 'old', 'old'], cut: 8, garbage: new Uint8Array(512) }]],
      },
    );
  });

  it('the current slot zeroed or with one bit flipped: the previous state, or a typed refusal — never one not written, never none', () => {
    const damage = fc.oneof(
      fc.constant({ kind: 'zero' as const, bit: 0 }),
      fc.record({ kind: fc.constant('flip' as const), bit: fc.nat(4096 * 8 - 1) }),
    );
    fc.assert(
      fc.property(payloads, damage, (ps, d) => {
        const { file, current } = written(ps);
        const base = current.index * current.slotSize;
        const used = 24 + current.payload.length + 32;
        if (d.kind === 'zero') file.fill(0, base, base + current.slotSize);
        else file[base + (d.bit >> 3)] = (file[base + (d.bit >> 3)] ?? 0) ^ (1 << (d.bit & 7));
        const byte = d.bit >> 3;
        const harmless = d.kind === 'flip' && byte >= used; // padding beyond the checksum is not part of the record
        let got: string | undefined;
        let code: string | undefined;
        try {
          got = dec(currentSlot(file, PATH).payload);
        } catch (err) {
          code = (err as { code?: string }).code;
          expect((err as Error).message).toContain(PATH);
        }
        if (harmless) expect(got).toBe(ps[ps.length - 1]);
        else if (ps.length === 1)
          expect(code).toBe('GUARD_STATE_CORRUPT'); // no previous state: refused, not "none"
        else expect([got, code]).toEqual([ps[ps.length - 2], undefined]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('slot file refusals (adversarial)', () => {
  it('both slots corrupt: GUARD_STATE_CORRUPT naming the file and both reasons', () => {
    const { file } = written(['a', 'b']);
    file[30] = (file[30] ?? 0) ^ 1;
    file[4096 + 30] = (file[4096 + 30] ?? 0) ^ 1;
    expect(() => currentSlot(file, PATH)).toThrow(
      expect.objectContaining({
        code: 'GUARD_STATE_CORRUPT',
        message: expect.stringContaining(`${PATH} is unreadable (no valid slot (slot 0: checksum mismatch, slot 1: checksum mismatch))`),
      }),
    );
    // All zeros (a file system that lost the data): refused, never "no state".
    expect(thrownCode(() => currentSlot(new Uint8Array(8192), PATH))).toBe('GUARD_STATE_CORRUPT');
  });

  it('mutation check: one corrupted payload byte in the only valid slot is refused (with the checksum check off it would be read)', () => {
    const file = slotFileImage(1n, enc('{"height":5}'));
    expect(dec(currentSlot(file, PATH).payload)).toBe('{"height":5}');
    file[24 + 10] = '9'.charCodeAt(0); // {"height":9}
    expect(thrownCode(() => currentSlot(file, PATH))).toBe('GUARD_STATE_CORRUPT');
    expect(decodeSlot(file.subarray(0, 4096))).toEqual({ valid: false, refuse: false, why: 'checksum mismatch' });
  });

  it('a slot with a higher sequence but a bad checksum is ignored; the valid lower one wins', () => {
    const { file } = written(['old', 'new']); // slot 1 holds sequence 2
    // Raise slot 0's sequence to 9 without fixing its checksum: a number alone cannot win.
    file[16] = 9;
    expect([dec(currentSlot(file, PATH).payload), currentSlot(file, PATH).sequence]).toEqual(['new', 2n]);
    // With a recomputed checksum it would: the sequence is what orders the slots.
    file.set(encodeSlot(9n, enc('old')), 0);
    expect(dec(currentSlot(file, PATH).payload)).toBe('old');
  });

  it('refuses two valid slots with one sequence, two slots of another format version, and a file that is not two slots', () => {
    const same = new Uint8Array(8192);
    same.set(encodeSlot(3n, enc('a')), 0);
    same.set(encodeSlot(3n, enc('b')), 4096);
    expect(thrownCode(() => currentSlot(same, PATH))).toBe('GUARD_STATE_CORRUPT');
    // A slot of another format version is ignored like a torn one (a write torn after the magic leaves
    // version 0): the other slot's record is read; with both slots so, the file is refused.
    const { file, current } = written(['a', 'b']);
    file[current.index * 4096 + 8] = 2;
    expect(dec(currentSlot(file, PATH).payload)).toBe('a');
    file[(1 - current.index) * 4096 + 8] = 0;
    expect(() => currentSlot(file, PATH)).toThrow(
      expect.objectContaining({ code: 'GUARD_STATE_CORRUPT', message: expect.stringContaining('slot format version') }),
    );
    for (const size of [0, 4096, 8191, 12_288, 3 * 4096 * 2]) {
      expect([size, thrownCode(() => currentSlot(new Uint8Array(size), PATH))]).toEqual([size, 'GUARD_STATE_CORRUPT']);
    }
    expect(MIN_SLOT_BYTES).toBe(4096);
  });
});

describe('slot file on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hrng-slot-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes alternate slots with one positional write each; a write torn by hand on disk reads as the state before it', async () => {
    const path = join(dir, 'k.state');
    writeFileSync(path, slotFileImage(1n, enc('one')));
    const fd = openSync(path, 'r+');
    try {
      const points: string[] = [];
      let cur = readSlotFileSync(fd, path);
      cur = await writeNextSlot(fd, cur, enc('two'), { at: (p) => void points.push(p) });
      cur = await writeNextSlot(fd, cur, enc('three'));
      expect([points, cur.index, cur.sequence, dec(readSlotFileSync(fd, path).payload)]).toEqual([
        ['slot-written', 'slot-synced'],
        0,
        3n,
        'three',
      ]);
      expect(readFileSync(path).length).toBe(8192);
      // Half of the next record reaches the disk (slot 1, which holds "two"): "three" is still read.
      const w = planNextSlot(cur, enc('four'));
      writeSync(fd, w.block, 0, 40, w.position);
      expect(dec(readSlotFileSync(fd, path).payload)).toBe('three');
    } finally {
      closeSync(fd);
    }
  });
});
