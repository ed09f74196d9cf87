/**
 * Known-answer self-tests run before the first output (FIPS 140-3 §7.10 pre-operational / conditional
 * algorithm self-tests; SP 800-90A Rev.1 §11.3 health testing of the DRBG mechanism).
 *
 * Every expected value is published except the HMAC_DRBG-SHA3-512 one, for which CAVP publishes none: it
 * was computed by an independent HMAC_DRBG on node:crypto (tests/unit/drbg/node-hmac-drbg-oracle.ts),
 * itself checked against NIST's ACVP SHA3-512 sample vectors.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { hashFunction } from '../hash.js';
import type { HashName } from '../hash.js';
import { SelfTestError } from '../errors.js';
import { HmacDrbg } from './hmac-drbg.js';

export interface KnownAnswerTest {
  readonly name: string;
  /** The DRBG hash this test is for (HMAC, HMAC_DRBG); absent for tests every generator needs. */
  readonly hash?: HashName;
  /** Lowercase hex of the expected output. */
  readonly expected: string;
  run(): Uint8Array;
}

export interface SelfTestResult {
  readonly name: string;
  readonly passed: true;
}

const ABC = utf8ToBytes('abc');
const seq = (start: number, length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);

interface DrbgKat {
  hash: HashName;
  entropy: string | Uint8Array;
  nonce: string | Uint8Array;
  personalization: string | Uint8Array;
  reseedEntropy: string | Uint8Array;
  reseedAdditional: string | Uint8Array;
  additional: [string | Uint8Array, string | Uint8Array];
  bytes: number;
}

const bin = (x: string | Uint8Array): Uint8Array => (typeof x === 'string' ? hexToBytes(x) : x);

/** The CAVP procedure: instantiate, reseed, generate twice; the second output is the answer. */
function drbgKat(k: DrbgKat): Uint8Array {
  const drbg = new HmacDrbg({
    hash: k.hash,
    entropy: bin(k.entropy),
    nonce: bin(k.nonce),
    personalization: bin(k.personalization),
  });
  try {
    drbg.reseed(bin(k.reseedEntropy), bin(k.reseedAdditional));
    drbg.generate(k.bytes, bin(k.additional[0]));
    return drbg.generate(k.bytes, bin(k.additional[1]));
  } finally {
    drbg.destroy();
  }
}

export const KNOWN_ANSWER_TESTS: readonly KnownAnswerTest[] = [
  {
    name: 'SHA-512 ("abc", FIPS 180-4 example)',
    expected:
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    run: () => hashFunction('sha512')(ABC),
  },
  {
    name: 'SHA3-512 ("abc", FIPS 202 example)',
    expected:
      'b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0',
    run: () => hashFunction('sha3-512')(ABC),
  },
  {
    name: 'HMAC-SHA-256 (RFC 4231 test case 2)',
    hash: 'sha256',
    expected: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    run: () => hmac(hashFunction('sha256'), utf8ToBytes('Jefe'), utf8ToBytes('what do ya want for nothing?')),
  },
  {
    name: 'HMAC-SHA-512 (RFC 4231 test case 2)',
    hash: 'sha512',
    expected:
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    run: () => hmac(hashFunction('sha512'), utf8ToBytes('Jefe'), utf8ToBytes('what do ya want for nothing?')),
  },
  {
    // A 72-byte key: exactly the SHA3-512 HMAC block, the edge between padding and hashing the key.
    name: 'HMAC-SHA3-512 (NIST ACVP HMAC-SHA3-512-2.0 tg1 tc83, 96-bit MAC)',
    hash: 'sha3-512',
    expected: 'afea1dafbf3c319d716f1ba3',
    run: () =>
      hmac(
        hashFunction('sha3-512'),
        hexToBytes(
          '55eb0933fae39120587aa1315d5ad06163a7f043e3b0bffbd4ba7d058be147b047b05685a461d44ee1edbe52e571a06c5c01c834b97d6eab70ae94cf31720e16cc87a2fec62d622c',
        ),
        hexToBytes(
          '8273778fe5b3bef7fc2655e3095f1ffa1e6b5936c635cc85f3154ae7b893776b79ec7bbae70d255ad4f2a0bf99736b88cd0e1652fbb443fe2d5e9d0a0d93e99de6ef5775e7ec0935bd',
        ),
      ).subarray(0, 12),
  },
  {
    name: 'HMAC_DRBG-SHA-256 (NIST CAVS 14.3 PR False (SHA-256, 256, 256) #0)',
    hash: 'sha256',
    expected:
      'dda04a2ca7b8147af1548f5d086591ca4fd951a345ce52b3cd49d47e84aa31a183e31fbc42a1ff1d95afec7143c8008c97bc2a9c091df0a763848391f68cb4a366ad89857ac725a53b303ddea767be8dc5f605b1b95f6d24c9f06be65a973a089320b3cc42569dcfd4b92b62a993785b0301b3fc452445656fce22664827b88f',
    run: () =>
      drbgKat({
        hash: 'sha256',
        entropy: 'cdb0d9117cc6dbc9ef9dcb06a97579841d72dc18b2d46a1cb61e314012bdf416',
        nonce: 'd0c0d01d156016d0eb6b7e9c7c3c8da8',
        personalization: '6f0fb9eab3f9ea7ab0a719bfa879bf0aaed683307fda0c6d73ce018b6e34faaa',
        reseedEntropy: '8ec6f7d5a8e2e88f43986f70b86e050d07c84b931bcf18e601c5a3eee3064c82',
        reseedAdditional: '1ab4ca9014fa98a55938316de8ba5a68c629b0741bdd058c4d70c91cda5099b3',
        additional: [
          '16e2d0721b58d839a122852abd3bf2c942a31c84d82fca74211871880d7162ff',
          '53686f042a7b087d5d2eca0d2a96de131f275ed7151189f7ca52deaa78b79fb2',
        ],
        bytes: 128,
      }),
  },
  {
    name: 'HMAC_DRBG-SHA-512 (NIST CAVS 14.3 PR False (SHA-512, 256, 256) #0)',
    hash: 'sha512',
    expected:
      '5b70f3e4da95264233efbab155b828d4e231b67cc92757feca407cc9615a660871cb07ad1a2e9a99412feda8ee34dc9c57fa08d3f8225b30d29887d20907d12330fffd14d1697ba0756d37491b0a8814106e46c8677d49d9157109c402ad0c247a2f50cd5d99e538c850b906937a05dbb8888d984bc77f6ca00b0e3bc97b16d6d25814a54aa12143afddd8b2263690565d545f4137e593bb3ca88a37b0aadf79726b95c61906257e6dc47acd5b6b7e4b534243b13c16ad5a0a1163c0099fce43f428cd27c3e6463cf5e9a9621f4b3d0b3d4654316f4707675df39278d5783823049477dcce8c57fdbd576711c91301e9bd6bb0d3e72dc46d480ed8f61fd63811',
    run: () =>
      drbgKat({
        hash: 'sha512',
        entropy: 'da740cbc36057a8e282ae717fe7dfbb245e9e5d49908a0119c5dbcf0a1f2d5ab',
        nonce: '46561ff612217ba3ff91baa06d4b5440',
        personalization: 'fc227293523ecb5b1e28c87863626627d958acc558a672b148ce19e2abd2dde4',
        reseedEntropy: '1d61d4d8a41c3254b92104fd555adae0569d1835bb52657ec7fbba0fe03579c5',
        reseedAdditional: 'b9ed8e35ad018a375b61189c8d365b00507cb1b4510d21cac212356b5bbaa8b2',
        additional: [
          'b7998998eaf9e5d34e64ff7f03de765b31f407899d20535573e670c1b402c26a',
          '2089d49d63e0c4df58879d0cb1ba998e5b3d1a7786b785e7cf13ca5ea5e33cfd',
        ],
        bytes: 256,
      }),
  },
  {
    // 72-byte personalization (the SHA3-512 HMAC block) and 100-byte requests (a partial last block).
    name: 'HMAC_DRBG-SHA3-512 (node:crypto oracle)',
    hash: 'sha3-512',
    expected:
      '90da057f82e3e271571f1d90c0798d9857d857d143d368d04e8f8f44b24411c33e229c825fc444ec0b89a57153e0101cbc12842cc42fe012ecbfee8cc25aa1dcae1b2367861e3a8bd1fad9096671d6ee5b355a57fd57d110aebf97dc975a51dc86dffe47',
    run: () =>
      drbgKat({
        hash: 'sha3-512',
        entropy: seq(0x00, 32),
        nonce: seq(0x20, 16),
        personalization: seq(0x40, 72),
        reseedEntropy: seq(0x80, 32),
        reseedAdditional: seq(0xa0, 32),
        additional: [seq(0xc0, 16), seq(0xd0, 16)],
        bytes: 100,
      }),
  },
];

/** Runs `tests` in order; the first mismatch (or exception) throws `SelfTestError` naming the test. */
export function runKnownAnswerTests(tests: readonly KnownAnswerTest[]): SelfTestResult[] {
  const results: SelfTestResult[] = [];
  for (const test of tests) {
    let actual: string;
    try {
      actual = bytesToHex(test.run());
    } catch (cause) {
      throw new SelfTestError(test.name, { cause });
    }
    if (actual !== test.expected) throw new SelfTestError(test.name);
    results.push({ name: test.name, passed: true });
  }
  return results;
}

/** The SHA-512, SHA3-512, HMAC and HMAC_DRBG known-answer tests; throws `SelfTestError` on any mismatch. */
export function runSelfTests(): SelfTestResult[] {
  return runKnownAnswerTests(KNOWN_ANSWER_TESTS);
}

/** The name the Rng's documentation uses for `runSelfTests`. */
export const selfTest = runSelfTests;

/**
 * The tests a generator on `hash` needs before its first output (FIPS 140-3 IG 10.3.A: a test per
 * algorithm before its first use): SHA-512 and SHA3-512 (the pool conditions with SHA3-512), and the HMAC
 * and HMAC_DRBG tests of `hash` only. A generator on another hash runs its own when it is created.
 */
export function runSelfTestsFor(hash: HashName): SelfTestResult[] {
  return runKnownAnswerTests(KNOWN_ANSWER_TESTS.filter((t) => t.hash === undefined || t.hash === hash));
}
