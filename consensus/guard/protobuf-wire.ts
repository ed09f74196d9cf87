/**
 * The protobuf wire format (protobuf.dev/programming-guides/encoding), as far as CometBFT's canonical
 * sign bytes and the privval messages need it: varints (and int64 as 10-byte two's complement),
 * fixed64, length-delimited fields, and the uvarint length prefix of "delimited" messages (protoio).
 * Readers are strict: a truncated field, a varint over 10 bytes, or a group wire type is an error.
 *
 * Not supported: fixed32 fields other than skipping, groups, packed repeated fields.
 */

/** Appends fields in order; `bytes()` gives the message. */
export class ProtoWriter {
  readonly #parts: number[] = [];

  #varint(v: bigint): void {
    for (const b of encodeUvarint(v)) this.#parts.push(b);
  }

  #tag(field: number, wire: number): void {
    this.#varint(BigInt((field << 3) | wire));
  }

  /** A varint field (int32/int64/uint32/enum/bool), omitted when zero (proto3). */
  varint(field: number, v: number | bigint): this {
    const b = BigInt(v);
    if (b === 0n) return this;
    this.#tag(field, 0);
    this.#varint(b);
    return this;
  }

  /** An sfixed64 field, omitted when zero. */
  sfixed64(field: number, v: number | bigint): this {
    const b = BigInt.asUintN(64, BigInt(v));
    if (b === 0n) return this;
    this.#tag(field, 1);
    for (let i = 0n; i < 8n; i++) this.#parts.push(Number((b >> (8n * i)) & 0xffn));
    return this;
  }

  /** A bytes or string field, omitted when empty unless `always` (gogoproto non-nullable messages). */
  bytes(field: number, v: Uint8Array | string, always = false): this {
    const b = typeof v === 'string' ? new TextEncoder().encode(v) : v;
    if (b.length === 0 && !always) return this;
    this.#tag(field, 2);
    this.#varint(BigInt(b.length));
    for (const x of b) this.#parts.push(x);
    return this;
  }

  bytesOut(): Uint8Array {
    return Uint8Array.from(this.#parts);
  }
}

/** An unsigned varint. */
export function encodeUvarint(v: number | bigint): Uint8Array {
  const out: number[] = [];
  let x = BigInt.asUintN(64, BigInt(v));
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return Uint8Array.from(out);
}

/** The uvarint length prefix of a delimited message (protoio), then the message. */
export function delimit(message: Uint8Array): Uint8Array {
  const prefix = encodeUvarint(message.length);
  const out = new Uint8Array(prefix.length + message.length);
  out.set(prefix, 0);
  out.set(message, prefix.length);
  return out;
}

export interface ProtoField {
  readonly field: number;
  readonly wire: 0 | 1 | 2 | 5;
  /** wire 0: the varint as unsigned 64-bit; wire 1/5: the little-endian value. */
  readonly int: bigint;
  /** wire 2: the payload. */
  readonly bytes: Uint8Array;
}

/** Reads a uvarint at `at`; undefined when truncated or longer than 10 bytes. */
export function readUvarint(buf: Uint8Array, at: number): { value: bigint; next: number } | undefined {
  let v = 0n;
  for (let i = 0; i < 10; i++) {
    const b = buf[at + i];
    if (b === undefined) return undefined;
    v |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) {
      if (i === 9 && b > 1) return undefined;
      return { value: v, next: at + i + 1 };
    }
  }
  return undefined;
}

/** Every field of a message in order, or undefined when it is not well-formed wire format. */
export function readFields(buf: Uint8Array): ProtoField[] | undefined {
  const out: ProtoField[] = [];
  let at = 0;
  while (at < buf.length) {
    const tag = readUvarint(buf, at);
    if (tag === undefined || tag.value > 0xffffffffn) return undefined;
    at = tag.next;
    const field = Number(tag.value >> 3n);
    const wire = Number(tag.value & 7n);
    if (field === 0) return undefined;
    if (wire === 0) {
      const v = readUvarint(buf, at);
      if (v === undefined) return undefined;
      out.push({ field, wire, int: v.value, bytes: new Uint8Array(0) });
      at = v.next;
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (at + n > buf.length) return undefined;
      let v = 0n;
      for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[at + i] ?? 0);
      out.push({ field, wire, int: v, bytes: new Uint8Array(0) });
      at += n;
    } else if (wire === 2) {
      const len = readUvarint(buf, at);
      if (len === undefined || len.value > BigInt(buf.length - len.next)) return undefined;
      const end = len.next + Number(len.value);
      out.push({ field, wire, int: 0n, bytes: buf.subarray(len.next, end) });
      at = end;
    } else {
      return undefined;
    }
  }
  return out;
}

/** A delimited message: its body when the length prefix covers exactly the rest of `buf`. */
export function undelimit(buf: Uint8Array): Uint8Array | undefined {
  const len = readUvarint(buf, 0);
  if (len === undefined || len.value !== BigInt(buf.length - len.next)) return undefined;
  return buf.subarray(len.next);
}
