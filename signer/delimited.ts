/**
 * Reading one length-delimited protobuf message (protoio: a uvarint length, then the message) from a
 * stream of exact reads, with a size limit checked before anything is allocated.
 */
import { readUvarint } from '../consensus/index.js';
import { SignerError } from './errors.js';

export async function readDelimited(read: (n: number) => Promise<Uint8Array>, max: number): Promise<Uint8Array> {
  const prefix: number[] = [];
  for (;;) {
    const b = (await read(1))[0] ?? 0;
    prefix.push(b);
    if ((b & 0x80) === 0) break;
    if (prefix.length >= 10) throw new SignerError('SIGNER_MESSAGE_MALFORMED', 'a length prefix over 10 bytes');
  }
  const len = readUvarint(Uint8Array.from(prefix), 0);
  if (len === undefined) throw new SignerError('SIGNER_MESSAGE_MALFORMED', 'a malformed length prefix');
  if (len.value > BigInt(max))
    throw new SignerError('SIGNER_MESSAGE_TOO_LARGE', `a message of ${len.value} bytes, over the limit of ${max}`);
  return read(Number(len.value));
}
