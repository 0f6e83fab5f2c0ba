import { defineConfig } from 'vitest/config';

// Each browser test boots the real API (with its own embedded PostgreSQL), so files run one at a time.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.spec.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
