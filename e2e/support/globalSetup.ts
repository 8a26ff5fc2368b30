import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildHubBundle } from '../../sync-server/test/helpers/hubBundle';
import { REPO_ROOT, RENDERER_OUT } from './paths';

/**
 * Builds the renderer once per run (the same static bundle Electron and `npm start` serve),
 * and the hub's command (support/hub.ts starts it: a third of tsx's start time per hub and CLI
 * call; sync-server/test/helpers/hubBundle.ts).
 */
export default async function setup(): Promise<void> {
  if (process.env.HUB_TEST_TSX !== '1') process.env.SBT_TEST_HUB_BUNDLE = await buildHubBundle();
  if (process.env.SBT_E2E_SKIP_BUILD === '1') return;
  const res = spawnSync('npx', ['vite', 'build', '--outDir', RENDERER_OUT, '--logLevel', 'warn'], {
    cwd: path.join(REPO_ROOT, 'desktop'),
    stdio: 'inherit',
    // vitest sets NODE_ENV=test; the journeys must run the production bundle.
    env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  if (res.status !== 0) throw new Error('renderer build failed');
}
