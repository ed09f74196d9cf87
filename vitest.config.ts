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
        test: {
          name: 'timing',
          include: ['tests/adversarial/timing/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
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
