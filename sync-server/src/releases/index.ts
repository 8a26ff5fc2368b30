/**
 * Update feed (issue 5). The hub wires exactly these two entry points; their bodies are
 * owned by the releases module. Releases live on disk under `${dataDir}/releases`.
 * See docs/updates.md.
 */
import type { FastifyInstance } from 'fastify';
import { releaseCli } from './cli.js';
import { releaseRoutes } from './routes.js';

export interface ReleaseContext {
  dataDir: string;
}

/** Serves electron-updater's generic-provider feed under /updates/:channel/. */
export async function registerReleaseRoutes(
  app: FastifyInstance,
  ctx: ReleaseContext,
): Promise<void> {
  await releaseRoutes(app, ctx.dataDir);
}

/** `sibantong-hub release …`; returns the process exit code. Accepts argv with or without the leading `release`. */
export async function runReleaseCli(argv: string[], ctx: ReleaseContext): Promise<number> {
  return releaseCli(argv, ctx.dataDir);
}

export { ReleaseStore, compareVersions } from './store.js';
export type { Build, ChannelState, ResolvedFeed } from './store.js';
export {
  ReleaseError,
  rolloutBucket,
  isInRollout,
  parseFeed,
  sha512OfFile,
  CHANNELS,
  FEED_FILES,
} from './feed.js';
export { DEVICE_HEADER, VERSION_HEADER } from './routes.js';
