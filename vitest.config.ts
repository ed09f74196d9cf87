import { defineConfig } from 'vitest/config';

// Three projects: `unit` (fast, parallel), `timing` (dudect gate: serial, one file at a time so
// measurements do not compete for the two cores), `integration` (real SoftHSM2 / swtpm tokens:
// serial, because the PKCS#11 library is process-wide and the TPM has few object slots).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/integration/**', 'tests/adversarial/timing/**', 'node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        // Each target is measured in child processes of its own (tests/adversarial/timing/dudect/isolated.ts);
        // a CI campaign is at most 3 runs capped at 1×, 2× and 4× its maxMs (≤ 25 s), so 10 min per test
        // is a hang guard only. The long campaign (TIMING_LONG=1) has no caps.
        test: {
          name: 'timing',
          include: ['tests/adversarial/timing/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: process.env['TIMING_LONG'] === '1' ? 86_400_000 : 600_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
