import { buildHubBundle } from './helpers/hubBundle.js';

/**
 * Once per vitest run, before any test file: bundles the hub for the helpers that start it
 * (helpers/hubBundle.ts). The variable reaches the test workers, started after this.
 */
export default async function setup(): Promise<void> {
  if (process.env.HUB_TEST_TSX === '1') return;
  process.env.SBT_TEST_HUB_BUNDLE = await buildHubBundle();
}
