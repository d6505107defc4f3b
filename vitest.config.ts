import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'server/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default on a 2-core machine is one file at a time, and most files spend their time
    // waiting on real processes (CLI runs, servers, PostgreSQL, ffmpeg): two at once keeps both
    // cores busy without starving the ffmpeg-heavy files of their timeouts.
    maxWorkers: 2,
  },
});
