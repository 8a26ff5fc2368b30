import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, RENDERER_OUT } from './paths';

/** Builds the renderer once per run (the same static bundle Electron and `npm start` serve). */
export default function setup(): void {
  if (process.env.SBT_E2E_SKIP_BUILD === '1') return;
  const res = spawnSync('npx', ['vite', 'build', '--outDir', RENDERER_OUT, '--logLevel', 'warn'], {
    cwd: path.join(REPO_ROOT, 'desktop'),
    stdio: 'inherit',
    // vitest sets NODE_ENV=test; the journeys must run the production bundle.
    env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  if (res.status !== 0) throw new Error('renderer build failed');
}
