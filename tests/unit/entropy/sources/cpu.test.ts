import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonPath, loadCpuRandom, packageRoot } from '../../../../crypto/native/cpu-random.js';
import { EntropySourceError } from '../../../../crypto/entropy/source.js';
import { CpuSource } from '../../../../crypto/entropy/sources/cpu.js';

const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
const flags = new Set((/^flags\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? '').trim().split(/\s+/));
const cpuHas = { rdseed: process.arch === 'x64' && flags.has('rdseed'), rdrand: process.arch === 'x64' && flags.has('rdrand') };
const load = loadCpuRandom();

describe('native helper loader', () => {
  it('finds the package root from the sources and from where tsc puts the compiled loader', () => {
    const root = packageRoot();
    expect(root).toBe(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..'));
    const r = root ?? '';
    expect(JSON.parse(readFileSync(join(r, 'package.json'), 'utf8')).name).toBe('hardened-rng');
    expect(packageRoot(join(r, 'dist', 'crypto', 'native'))).toBe(r);
    expect(addonPath(r)).toBe(join(r, 'crypto', 'native', 'build', 'Release', 'cpu_random.node'));
  });

  // The install script never fails, so CI must notice a helper that silently did not build.
  it.runIf(process.env.CI === 'true' && (cpuHas.rdseed || cpuHas.rdrand))(
    'CI: the helper built and loads on a CPU that lists RDSEED/RDRAND',
    () => {
      expect(load.loaded ? 'loaded' : load.reason).toBe('loaded');
    },
  );

  // The kernel can withdraw an instruction CPUID lists (kernel-cpu-flags.ts), never list one CPUID lacks.
  it.runIf(load.loaded && cpuinfo !== '')('CPUID lists every instruction /proc/cpuinfo lists', () => {
    if (!load.loaded) return;
    expect([cpuHas.rdseed && !load.addon.rdseed, cpuHas.rdrand && !load.addon.rdrand]).toEqual([false, false]);
    expect(load.addon.tries.rdrand).toBe(10);
  });

  it.runIf(load.loaded)('rejects anything but a Uint8Array and a known instruction', () => {
    if (!load.loaded) return;
    expect(() => load.addon.fill('rdrand', new Uint16Array(4) as unknown as Uint8Array)).toThrow(/Uint8Array/);
    expect(() => load.addon.fill('rdrnd' as 'rdrand', new Uint8Array(4))).toThrow(/instruction/);
  });
});

for (const instruction of ['rdseed', 'rdrand'] as const) {
  describe(`CpuSource('${instruction}')`, () => {
    const source = new CpuSource(instruction);
    const usable = source.available();

    it('is conditioned, with the documented conservative credit', () => {
      expect(source.id).toBe(instruction);
      expect(source.kind).toBe('conditioned');
      expect(source.creditBitsPerByte).toBe(instruction === 'rdseed' ? 4 : 0);
    });

    it.runIf(cpuHas[instruction] && load.loaded)('is available on this CPU', () => {
      expect(source.unavailableReason()).toBeUndefined();
      expect(source.available()).toBe(true);
    });

    it.runIf(load.loaded && cpuinfo !== '')('is available exactly where the kernel lists it', () => {
      expect(source.available()).toBe(cpuHas[instruction]);
    });

    it.runIf(usable)('returns exactly the bytes asked for, including non-multiples of 8', () => {
      for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 1000]) {
        const out = source.read(n);
        expect(out).toBeInstanceOf(Uint8Array);
        expect(out.length).toBe(n);
      }
    });

    it.runIf(usable)('gives different values on every read, and counts its reads', () => {
      const before = source.counters();
      const a = source.read(32);
      const b = source.read(32);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
      const after = source.counters();
      expect(after.reads - before.reads).toBe(2);
      expect(after.bytes - before.bytes).toBe(64);
      expect(after.failedReads).toBe(0);
    });

    it.runIf(usable)('fills the tail of a non-multiple of 8 (not left zero)', () => {
      // 200 reads of 3 bytes: the chance that a working unit leaves every tail byte zero is 2^-4800.
      let any = 0;
      for (let i = 0; i < 200; i++) any |= source.read(3)[2] ?? 0;
      expect(any).not.toBe(0);
    });

    it.runIf(!usable)('when unavailable, says why and refuses to read', () => {
      expect(source.unavailableReason()?.length ?? 0).toBeGreaterThan(10);
      let caught: unknown;
      try {
        source.read(8);
      } catch (e) {
        caught = e;
      }
      expect((caught as EntropySourceError).code).toBe('ENTROPY_SOURCE_UNAVAILABLE');
    });
  });
}

describe('CpuSource construction', () => {
  it('rejects an unknown instruction', () => {
    expect(() => new CpuSource('rdtsc' as 'rdrand')).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
  });
});
