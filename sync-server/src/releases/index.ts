/**
 * Update feed (issue 5). The hub wires exactly these two entry points; their bodies are
 * owned by the releases module. Releases live on disk under `${dataDir}/releases`.
 */
import type { FastifyInstance } from 'fastify';

export interface ReleaseContext {
  dataDir: string;
}

/** Serves electron-updater's generic-provider feed under /updates/:channel/. */
export async function registerReleaseRoutes(
  _app: FastifyInstance,
  _ctx: ReleaseContext,
): Promise<void> {
  // filled by the releases module
}

/** `sibantong-hub release …`; returns the process exit code. */
export async function runReleaseCli(_argv: string[], _ctx: ReleaseContext): Promise<number> {
  console.error('release: 尚未实现 (not implemented yet)');
  return 2;
}
