/**
 * Query-string parsers for every endpoint: pure functions from a raw query string to a request or a
 * `BadQuery` naming the parameter. Strict by design — a parameter given twice, an unknown parameter, a
 * number with a sign, leading zeros, a fraction or an exponent is refused rather than guessed at, so no
 * two parsers (ours and a proxy's) can read one URL two ways. Never throws (fuzzed with fast-check).
 *
 * ANU shapes (docs/server.md): legacy `/API/jsonI.php?length=1..1024&type=uint8|uint16|hex16&size=1..1024`
 * (size: hex16 block length in bytes) and current `/?length=1..1024&type=uint8|uint16|hex8|hex16&size=1..10`
 * (size: hex8 block in bytes, hex16 block in 16-bit words).
 */
export interface BadQuery {
  readonly ok: false;
  readonly parameter: string;
  readonly message: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | BadQuery;

export type AnuType = 'uint8' | 'uint16' | 'hex8' | 'hex16';

export interface AnuRequest {
  readonly type: AnuType;
  readonly length: number;
  /** hex types only: block size (legacy: bytes; current: bytes for hex8, 16-bit words for hex16). */
  readonly size: number;
}

export type RandomFormat = 'hex' | 'base64' | 'raw';

export interface RandomRequest {
  readonly bytes: number;
  readonly format: RandomFormat;
}

export interface StreamRequest {
  readonly bytes: number;
}

export const MAX_RANDOM_BYTES = 1 << 20;
export const MAX_STREAM_BYTES = 1 << 30;
export const MAX_QUERY_LENGTH = 1024;

const bad = (parameter: string, message: string): BadQuery => ({ ok: false, parameter, message });

/** application/x-www-form-urlencoded decoding of one name or value; text with no `%` or `+` is itself. */
function formDecode(text: string): string {
  if (text.indexOf('%') < 0 && text.indexOf('+') < 0) return text;
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/** Splits a query into name → value, refusing repeats, unknown names and undecodable text. */
export function splitQuery(query: string, allowed: readonly string[]): Parsed<ReadonlyMap<string, string>> {
  if (query.length > MAX_QUERY_LENGTH) return bad('query', `query longer than ${MAX_QUERY_LENGTH} characters`);
  const out = new Map<string, string>();
  if (query === '') return { ok: true, value: out };
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = formDecode(eq < 0 ? part : part.slice(0, eq));
      value = formDecode(eq < 0 ? '' : part.slice(eq + 1));
    } catch {
      return bad('query', 'query is not valid percent-encoding');
    }
    if (!allowed.includes(name)) {
      const shown = name.length > 32 || !/^[\x20-\x7e]*$/.test(name) ? '(unprintable)' : name;
      return bad(shown, `unknown parameter '${shown}' (allowed: ${allowed.join(', ')})`);
    }
    if (out.has(name)) return bad(name, `parameter '${name}' given more than once`);
    out.set(name, value);
  }
  return { ok: true, value: out };
}

/** A decimal integer in [min, max], written without sign, leading zeros, fraction or exponent. */
export function parseIntParam(value: string | undefined, name: string, min: number, max: number): Parsed<number> {
  if (value === undefined) return bad(name, `parameter '${name}' is required`);
  if (!/^(0|[1-9][0-9]{0,15})$/.test(value)) return bad(name, `parameter '${name}' must be a whole number from ${min} to ${max}`);
  const n = Number(value);
  if (n < min || n > max) return bad(name, `parameter '${name}' must be from ${min} to ${max}, got ${n}`);
  return { ok: true, value: n };
}

function anu(query: string, types: readonly AnuType[], sizeMax: number): Parsed<AnuRequest> {
  const q = splitQuery(query, ['length', 'type', 'size']);
  if (!q.ok) return q;
  const type = q.value.get('type');
  if (type === undefined) return bad('type', `parameter 'type' is required (${types.join(', ')})`);
  if (!(types as readonly string[]).includes(type)) return bad('type', `parameter 'type' must be one of ${types.join(', ')}`);
  const length = parseIntParam(q.value.get('length'), 'length', 1, 1024);
  if (!length.ok) return length;
  const hex = type === 'hex8' || type === 'hex16';
  const sizeText = q.value.get('size');
  let size = 1;
  if (sizeText !== undefined) {
    const s = parseIntParam(sizeText, 'size', 1, sizeMax);
    if (!s.ok) return s;
    size = s.value;
  }
  return { ok: true, value: { type: type as AnuType, length: length.value, size: hex ? size : 1 } };
}

/** The legacy QRNG@ANU JSON API: `/API/jsonI.php`. */
export function parseLegacyAnu(query: string): Parsed<AnuRequest> {
  return anu(query, ['uint8', 'uint16', 'hex16'], 1024);
}

/** The current ANU Quantum Numbers API: `/?length=&type=&size=`. */
export function parseCurrentAnu(query: string): Parsed<AnuRequest> {
  return anu(query, ['uint8', 'uint16', 'hex8', 'hex16'], 10);
}

export function parseRandom(query: string): Parsed<RandomRequest> {
  const q = splitQuery(query, ['bytes', 'format']);
  if (!q.ok) return q;
  const bytes = parseIntParam(q.value.get('bytes'), 'bytes', 1, MAX_RANDOM_BYTES);
  if (!bytes.ok) return bytes;
  const format = q.value.get('format') ?? 'hex';
  if (format !== 'hex' && format !== 'base64' && format !== 'raw') return bad('format', "parameter 'format' must be hex, base64 or raw");
  return { ok: true, value: { bytes: bytes.value, format } };
}

export function parseStream(query: string, maxBytes = MAX_STREAM_BYTES): Parsed<StreamRequest> {
  const q = splitQuery(query, ['bytes']);
  if (!q.ok) return q;
  const text = q.value.get('bytes');
  if (text === undefined) return { ok: true, value: { bytes: maxBytes } };
  const bytes = parseIntParam(text, 'bytes', 1, maxBytes);
  if (!bytes.ok) return bytes;
  return { ok: true, value: { bytes: bytes.value } };
}

/** Bytes an ANU request consumes. */
export function anuByteCount(r: AnuRequest, shape: 'legacy' | 'current'): number {
  switch (r.type) {
    case 'uint8':
      return r.length;
    case 'uint16':
      return 2 * r.length;
    case 'hex8':
      return r.length * r.size;
    case 'hex16':
      return r.length * (shape === 'legacy' ? r.size : 2 * r.size);
  }
}
