/**
 * Whether the kernel still offers RDSEED and RDRAND to programs. Linux withdraws a CPU generator it knows to be
 * broken: on AMD Zen 5 it logs "RDSEED32 is broken. Disabling the corresponding CPUID bit." (the 16- and
 * 32-bit forms can return 0 with the carry flag set, which signals a good value; AMD-SB-7055), and on AMD
 * families 15h/16h it clears RDRAND at boot unless told `rdrand=force` (after a resume from suspend it could
 * return all ones). The feature then disappears from the `flags` lines of /proc/cpuinfo. The CPUID bit that
 * the native helper reads is cleared only where the kernel can clear it: in a virtual machine the hypervisor
 * answers CPUID, and it may still say yes (seen here, on a Zen 5 guest). A generator the kernel has withdrawn
 * is not used, whatever CPUID says.
 *
 * Not supported: other kernels' ways of saying so. Where /proc/cpuinfo cannot be read (another OS, a sandbox
 * without /proc), CPUID alone decides, as before.
 */
import { readFileSync } from 'node:fs';
import type { CpuInstruction } from '../../native/cpu-random.js';

/**
 * The CPU features the kernel lists on every processor: the intersection of the `flags` lines of
 * /proc/cpuinfo text. A feature missing on one processor is missing. Undefined when the text has no `flags`
 * line.
 */
export function kernelCpuFlags(cpuinfo: string): ReadonlySet<string> | undefined {
  let common: Set<string> | undefined;
  for (const m of cpuinfo.matchAll(/^flags\s*:(.*)$/gm)) {
    const line = new Set(
      (m[1] ?? '')
        .trim()
        .split(/\s+/)
        .filter((f) => f !== ''),
    );
    common = common === undefined ? line : new Set([...common].filter((f) => line.has(f)));
  }
  return common;
}

/** Why the kernel's flags rule `instruction` out, or undefined when they do not (or are unknown). */
export function kernelWithdrew(instruction: CpuInstruction, flags: ReadonlySet<string> | undefined): string | undefined {
  if (flags === undefined || flags.has(instruction)) return undefined;
  return (
    `the kernel has withdrawn ${instruction.toUpperCase()} on this CPU (absent from /proc/cpuinfo although CPUID ` +
    'lists it: a known erratum, see the kernel log)'
  );
}

let host: { readonly flags: ReadonlySet<string> | undefined } | undefined;

/** This host's kernel flags, read once (undefined where /proc/cpuinfo cannot be read). */
export function hostKernelCpuFlags(): ReadonlySet<string> | undefined {
  if (host === undefined) {
    let text = '';
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      // No /proc: CPUID alone decides (the header says why that is the fallback).
    }
    host = { flags: kernelCpuFlags(text) };
  }
  return host.flags;
}
