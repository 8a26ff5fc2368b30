import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
// Inside this checkout (git-ignored), so two checkouts testing at once never share a build.
export const RENDERER_OUT =
  process.env.SBT_E2E_RENDERER_DIR ?? path.join(REPO_ROOT, 'e2e', '.renderer-build');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');
