import { defineConfig } from 'vitest/config';

// Journeys drive Debian's Chromium against a real hub process: one file at a time, long timeouts.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['journeys/**/*.test.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    globalSetup: ['./support/globalSetup.ts'],
  },
});
