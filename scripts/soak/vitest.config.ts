import { defineConfig } from 'vitest/config';

// The soak's own config: one file, no parallelism, a timeout from the requested duration plus set-up.
const seconds = Number(process.env['SOAK_SECONDS'] ?? '180');
export default defineConfig({
  test: {
    include: ['scripts/soak/*.soak.ts'],
    fileParallelism: false,
    testTimeout: (seconds + 240) * 1000,
    hookTimeout: 180_000,
  },
});
