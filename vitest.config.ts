import { defineConfig } from 'vitest/config';

// Unit and integration tests of every workspace but e2e (which has its own config and
// drives a real browser). Each project keeps its own environment.
export default defineConfig({
  test: {
    // Vitest's default on two cores is one worker, so every file ran one after another although
    // the hub files mostly wait on their hub and store processes. Two workers let a jsdom or
    // pure file run beside them; the hub files still run one at a time (fileParallelism below).
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 2),
    // Bundles the hub once for the run: test hubs and CLI calls start in about a third of
    // tsx's time (sync-server/test/helpers/hubBundle.ts).
    globalSetup: ['./sync-server/test/globalSetup.ts'],
    projects: [
      { test: { name: 'shared', root: './shared', include: ['test/**/*.test.ts'] } },
      {
        test: {
          name: 'sync-server',
          root: './sync-server',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'desktop-main',
          root: './desktop',
          include: ['test/main/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'desktop-renderer',
          root: './desktop',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['./test/setup.ts'],
        },
      },
      {
        // Convergence under chaos (docs/convergence.md): the short fixed-seed run.
        test: {
          name: 'chaos',
          root: './desktop',
          include: ['test/chaos/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['./test/setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'installers',
          root: './installers',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
    passWithNoTests: false,
  },
});
