/**
 * The kernel's word on RDSEED/RDRAND (crypto/entropy/sources/kernel-cpu-flags.ts): the flags every processor
 * lists, the truth table of "withdrawn", and CpuSource refusing an instruction CPUID lists but the kernel
 * does not — as on the AMD Zen 5 guests of this machine kind (`RDSEED32 is broken. Disabling the
 * corresponding CPUID bit.` in the kernel log, no `rdseed` in /proc/cpuinfo, CPUID still yes).
 */
import { describe, expect, it } from 'vitest';
import { CpuSource } from '../../../../crypto/entropy/sources/cpu.js';
import { kernelCpuFlags, kernelWithdrew } from '../../../../crypto/entropy/sources/kernel-cpu-flags.js';
import { loadCpuRandom } from '../../../../crypto/native/cpu-random.js';

const cpu = (n: number, flags: string): string =>
  `processor\t: ${n}\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nflags\t\t: ${flags}\nbugs\t\t: sysret_ss_attrs\n\n`;

describe('kernelCpuFlags', () => {
  it('is what every processor lists: one without a flag takes it away', () => {
    expect([...(kernelCpuFlags(cpu(0, 'fpu rdrand rdseed sse2') + cpu(1, 'fpu rdrand rdseed sse2')) ?? [])]).toEqual([
      'fpu',
      'rdrand',
      'rdseed',
      'sse2',
    ]);
    expect([...(kernelCpuFlags(cpu(0, 'fpu rdrand rdseed') + cpu(1, 'fpu rdrand')) ?? [])]).toEqual(['fpu', 'rdrand']);
    // `vmx flags` and `bugs` lines are not `flags` lines.
    expect(kernelCpuFlags(`${cpu(0, 'rdrand')}vmx flags\t: rdseed\n`)?.has('rdseed')).toBe(false);
  });

  it('is unknown (undefined) without a flags line, and empty for an empty one', () => {
    expect(kernelCpuFlags('')).toBeUndefined();
    expect(kernelCpuFlags('Processor\t: AArch64\nFeatures\t: fp asimd rng\n')).toBeUndefined();
    expect(kernelCpuFlags('flags\t:\n')?.size).toBe(0);
  });
});

describe('kernelWithdrew', () => {
  const table: [string, 'rdseed' | 'rdrand', ReadonlySet<string> | undefined, boolean][] = [
    ['flags unknown: CPUID decides', 'rdseed', undefined, false],
    ['listed', 'rdseed', new Set(['rdrand', 'rdseed']), false],
    ['not listed', 'rdseed', new Set(['rdrand']), true],
    ['listed', 'rdrand', new Set(['rdrand']), false],
    ['not listed', 'rdrand', new Set(['rdseed']), true],
    ['nothing listed', 'rdrand', new Set(), true],
  ];
  it.each(table)('%s (%s)', (_, instruction, flags, withdrawn) => {
    const why = kernelWithdrew(instruction, flags);
    expect(why !== undefined).toBe(withdrawn);
    if (withdrawn) expect(why).toContain(`withdrawn ${instruction.toUpperCase()}`);
  });
});

const load = loadCpuRandom();

describe.each(['rdseed', 'rdrand'] as const)('CpuSource(%s) and the kernel', (instruction) => {
  const cpuid = load.loaded && load.addon[instruction];

  it.runIf(cpuid)('CPUID lists it, the kernel does not: unavailable, says why, reads nothing', () => {
    const source = new CpuSource(instruction, { kernelFlags: () => new Set(['fpu']) });
    expect(source.available()).toBe(false);
    expect(source.unavailableReason()).toMatch(new RegExp(`^the kernel has withdrawn ${instruction.toUpperCase()} on this CPU`));
    expect(() => source.read(8)).toThrow(expect.objectContaining({ code: 'ENTROPY_SOURCE_UNAVAILABLE' }));
    expect(source.counters().reads).toBe(0);
  });

  it.runIf(cpuid)('CPUID and the kernel both list it, or the kernel is silent: available, and reads', () => {
    for (const kernelFlags of [() => new Set([instruction]), () => undefined]) {
      const source = new CpuSource(instruction, { kernelFlags });
      expect(source.unavailableReason()).toBeUndefined();
      expect(source.read(16).length).toBe(16);
    }
  });

  it.runIf(load.loaded && !cpuid)('CPUID does not list it: unavailable whatever the kernel says', () => {
    const source = new CpuSource(instruction, { kernelFlags: () => new Set([instruction]) });
    expect(source.unavailableReason()).toMatch(/CPUID/);
  });
});
