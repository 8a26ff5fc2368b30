import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const RENDERER_OUT =
  process.env.SBT_E2E_RENDERER_DIR ?? path.join(os.tmpdir(), 'sibantong-e2e-renderer');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');
