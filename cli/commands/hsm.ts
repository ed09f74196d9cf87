/**
 * `hrng hsm info|list|keygen|sign`: a PKCS#11 token (HSM, or a TPM through tpm2-pkcs11) configured by
 * the HRNG_PKCS11_* environment variables (cli/pkcs11-options.ts). The PIN is read from HRNG_PKCS11_PIN
 * or the file HRNG_PKCS11_PIN_FILE names — never from the command line.
 */
import { parseArgs } from 'node:util';
import {
  findSigningKey,
  generateSigningKey,
  HsmError,
  inventory,
  listObjects,
  type HsmSignatureScheme,
  type LibraryInventory,
} from '../../hsm/index.js';
import { CliUsageError, EXIT_OK, type Command } from '../command.js';
import { table } from '../format.js';
import type { CliIo } from '../io.js';
import { PKCS11_ENV, openPkcs11FromEnv, warnRefusedProtections } from '../pkcs11-options.js';
import { cliLogger } from '../logger.js';

const usage = `usage: hrng hsm info [--json]
       hrng hsm list [--json]
       hrng hsm keygen --label LABEL [--scheme auto|ed25519|ecdsa-p256] [--indestructible] [--json]
       hrng hsm sign (--label LABEL | --id HEX) [--text] [--json] MESSAGE

  info    slots, tokens and the mechanisms that matter (no login; needs only ${PKCS11_ENV.library})
  list    this project's key objects on the token
  keygen  generate a signing key pair in the token: Ed25519 where the token has it, else ECDSA P-256
          (reported as a fallback); the private key is sensitive and never extractable, and both halves
          are not modifiable and not copyable (read back; a token that refuses one is reported).
          --indestructible also sets CKA_DESTROYABLE=false: no PKCS#11 call can delete the key then
  sign    sign MESSAGE (hex; with --text, its UTF-8 bytes) and print the signature in hex. This does
          NOT consult the double-sign guard: it is for checking a token, not for consensus votes
environment:
  ${PKCS11_ENV.library}  path of the vendor's PKCS#11 module
  ${PKCS11_ENV.token}    token label
  ${PKCS11_ENV.pin} | ${PKCS11_ENV.pinFile}   the user PIN, or a file holding it (exactly one)`;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function renderInventory(inv: LibraryInventory): string {
  const lines = [`library: ${inv.library} (${inv.manufacturer}: ${inv.description})`];
  if (inv.tokens.length === 0) lines.push('no slot has a token');
  for (const t of inv.tokens) {
    const signing = t.signing === 'ed25519' ? 'Ed25519' : t.signing === 'ecdsa-p256' ? 'ECDSA P-256 (fallback: no Ed25519)' : 'none';
    const flags = [
      t.initialized ? 'initialized' : 'NOT initialized',
      t.userPinInitialized ? 'user PIN set' : 'user PIN NOT set',
      ...(t.userPinLocked ? ['USER PIN LOCKED'] : []),
      ...(t.userPinFinalTry ? ['one PIN try left'] : []),
      ...(t.userPinCountLow ? ['PIN count low'] : []),
      t.hasRng ? 'RNG' : 'no RNG',
    ];
    lines.push(
      '',
      table([
        ['token', `'${t.label}'`],
        ['slot', t.slotId],
        ['maker', `${t.manufacturer} ${t.model} (serial ${t.serial || '-'})`],
        ['state', flags.join(', ')],
        ['signing', signing],
        ['Ed25519', t.signing === 'ed25519' ? 'supported' : 'not supported'],
        ['AES-GCM', t.aesGcm ? 'supported' : 'not supported'],
        [
          'key wrap',
          t.keyWrap.length === 0 ? 'not supported' : t.keyWrap.map((w) => (w === 'rfc3394' ? 'RFC 3394' : 'RFC 5649')).join(', '),
        ],
        ['mechanisms', t.mechanisms.join(' ') || '-'],
      ]),
    );
  }
  return lines.join('\n') + '\n';
}

function parseMessage(text: string, asText: boolean): Uint8Array {
  if (asText) return new TextEncoder().encode(text);
  const t = text.startsWith('0x') ? text.slice(2) : text;
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(t))
    throw new CliUsageError('MESSAGE must be hex (an even, nonzero number of 0-9a-f digits); use --text for text');
  return Uint8Array.from(Buffer.from(t, 'hex'));
}

function parseScheme(text: string | undefined): HsmSignatureScheme | 'auto' {
  if (text === undefined || text === 'auto') return 'auto';
  if (text === 'ed25519' || text === 'ecdsa-p256') return text;
  throw new CliUsageError(`--scheme must be auto, ed25519 or ecdsa-p256, got '${text}'`);
}

async function info(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { json: { type: 'boolean', default: false } }, strict: true });
  const library = io.env[PKCS11_ENV.library];
  if (library === undefined || library.trim() === '') {
    throw new HsmError('HSM_CONFIG', `${PKCS11_ENV.library} is not set (path of the token vendor's PKCS#11 module)`);
  }
  const inv = inventory(library.trim());
  io.stdout.write(values.json ? JSON.stringify(inv, null, 2) + '\n' : renderInventory(inv));
  return EXIT_OK;
}

async function list(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { json: { type: 'boolean', default: false } }, strict: true });
  const hsm = await openPkcs11FromEnv(io.env, { logger: cliLogger(io), warnings: { io, command: 'hsm' } });
  try {
    const objects = listObjects(hsm);
    if (values.json) io.stdout.write(JSON.stringify(objects, null, 2) + '\n');
    else if (objects.length === 0) io.stdout.write(`token '${hsm.tokenLabel}' holds no hrng objects\n`);
    else {
      const rows = objects.map((o) => [o.label, o.kind, o.keyType, o.id, o.keyId ?? '-', o.publicKey ?? '-']);
      io.stdout.write(table([['label', 'kind', 'type', 'object id', 'key id', 'public key'], ...rows]) + '\n');
    }
    return EXIT_OK;
  } finally {
    await hsm.close();
  }
}

async function keygen(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      label: { type: 'string' },
      scheme: { type: 'string' },
      indestructible: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.label === undefined) throw new CliUsageError('--label LABEL is required');
  const scheme = parseScheme(values.scheme);
  const hsm = await openPkcs11FromEnv(io.env, { logger: cliLogger(io), warnings: { io, command: 'hsm' } });
  try {
    const { key, fallback, protections } = generateSigningKey(hsm, {
      label: values.label,
      scheme,
      ...(values.indestructible ? { indestructible: true } : {}),
    });
    const result = {
      token: hsm.tokenLabel,
      label: key.label,
      scheme: key.scheme,
      fallback,
      keyId: key.keyId,
      objectId: key.objectId,
      publicKey: hex(key.publicKey),
      protections,
    };
    warnRefusedProtections(io, { command: 'hrng hsm keygen', token: hsm.tokenLabel, protections });
    if (values.json) {
      io.stdout.write(JSON.stringify(result, null, 2) + '\n');
    } else {
      io.stdout.write(
        table([
          ['label', key.label],
          ['scheme', key.scheme + (fallback ? ' (fallback: the token has no Ed25519)' : '')],
          ['key id', key.keyId],
          ['object id', key.objectId],
          ['public key', result.publicKey],
          ['protected', (['modifiable', 'copyable', 'destroyable'] as const).map((p) => `${p}: ${protections[p]}`).join(', ')],
        ]) + '\n',
      );
      if (fallback) io.stderr.write(`hrng hsm keygen: token '${hsm.tokenLabel}' lacks Ed25519; generated ECDSA P-256 instead\n`);
    }
    return EXIT_OK;
  } finally {
    await hsm.close();
  }
}

async function sign(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      label: { type: 'string' },
      id: { type: 'string' },
      text: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if ((values.label === undefined) === (values.id === undefined)) throw new CliUsageError('give exactly one of --label LABEL and --id HEX');
  const [messageText, extra] = positionals;
  if (messageText === undefined) throw new CliUsageError('MESSAGE is required');
  if (extra !== undefined) throw new CliUsageError(`unexpected argument '${extra}'`);
  const message = parseMessage(messageText, values.text);
  const hsm = await openPkcs11FromEnv(io.env, { logger: cliLogger(io), warnings: { io, command: 'hsm' } });
  try {
    const key = findSigningKey(hsm, values.label !== undefined ? { label: values.label } : { id: values.id as string });
    const signature = await key.sign(message);
    // Said every time, because a consensus vote signed here could later be signed again differently.
    io.stderr.write(
      `hrng hsm sign: signed WITHOUT the double-sign guard; for consensus votes use 'hrng sign --hsm-key ${key.label} --guard DIR'\n`,
    );
    if (values.json) {
      io.stdout.write(
        JSON.stringify(
          { label: key.label, scheme: key.scheme, keyId: key.keyId, publicKey: hex(key.publicKey), signature: hex(signature) },
          null,
          2,
        ) + '\n',
      );
    } else {
      io.stdout.write(hex(signature) + '\n');
    }
    return EXIT_OK;
  } finally {
    await hsm.close();
  }
}

const subcommands: Readonly<Record<string, (args: readonly string[], io: CliIo) => Promise<number>>> = { info, list, keygen, sign };

export const hsmCommand: Command = {
  name: 'hsm',
  summary: 'PKCS#11 token: info, list, keygen and sign with token-held keys',
  usage,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === undefined) throw new CliUsageError('a subcommand is required: info, list, keygen or sign');
    const handler = subcommands[sub];
    if (!handler) throw new CliUsageError(`unknown subcommand '${sub}' (info, list, keygen, sign)`);
    return handler(rest, io);
  },
};
