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
    // React's scheduler (setImmediate) can still run a commit queued by a screen test after that
    // file's jsdom is gone — antd's own roots, effects behind RxDB emissions — and it then fails
    // the whole run with "window is not defined" although every test passed (CI of stop 25,
    // twice, from refusalCorrection.test.tsx; desktop/test/setup.ts waits for what it can).
    // Only that error, thrown inside React itself, is set aside, and said so; any other
    // unhandled error still fails the run.
    onUnhandledError(error) {
      // The error comes serialised from the worker: its stack as text, innermost frame first.
      const top = (error.stack ?? '').split('\n').find((l) => /^\s+at /.test(l)) ?? '';
      if (
        error.name === 'ReferenceError' &&
        error.message === 'window is not defined' &&
        /node_modules\/(react-dom|scheduler)\//.test(top)
      ) {
        console.warn(`[vitest] set aside: React ran after its test file's jsdom was gone (${top})`);
        return false;
      }
    },
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
