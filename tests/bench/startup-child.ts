/**
 * One cold start, measured inside a fresh process (spawned by startup.bench.ts): the time to import the
 * given entry and get `Rng`, the time from there to the first byte (Rng.create + randomBytes(1)), and the
 * resident set size before the import, after it, and after the first byte. Prints one JSON line. The entry
 * `floor` imports only node:crypto and the noble hashes (no generator): the least any entry can cost.
 * Not a `*.bench.ts` file, so tests/bench/main.ts does not run it as a benchmark.
 */
const entry = process.argv[2];
if (entry === undefined) throw new Error('usage: startup-child.js ENTRY_URL');
const rss = (): number => process.memoryUsage().rss;
const rss0 = rss();
const t0 = performance.now();
type RngModule = { Rng: { create(): Promise<{ randomBytes(n: number): Uint8Array; destroy(): void }> } };
// 'floor': only what any generator built on the chosen packages loads first — node:crypto and the noble
// hashes the DRBG, the pool and the self-tests use — with no code of ours and no generator.
const floor = entry === 'floor';
const mod = floor
  ? await Promise.all([
      import('node:crypto'),
      import('@noble/hashes/sha2.js'),
      import('@noble/hashes/sha3.js'),
      import('@noble/hashes/hmac.js'),
    ])
  : ((await import(entry)) as RngModule);
const t1 = performance.now();
const rss1 = rss();
const rng = floor ? undefined : await (mod as RngModule).Rng.create();
rng?.randomBytes(1);
const t2 = performance.now();
const rss2 = rss();
rng?.destroy();
console.log(
  JSON.stringify({
    importMs: t1 - t0,
    createMs: t2 - t1,
    firstByteMs: t2 - t0,
    rssBefore: rss0,
    rssAfterImport: rss1,
    rssAfterFirstByte: rss2,
  }),
);
