import { defineConfig } from 'vitest/config';

// Real-data suite: imports ../shared/data (or SHARPLINE_DATA_DIR) and checks exact counts.
export default defineConfig({
  test: {
    include: ['test/real/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
  },
});
