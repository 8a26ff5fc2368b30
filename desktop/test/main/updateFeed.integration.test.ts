/**
 * Client ↔ hub without Electron: the main-side update controller drives an updater built on
 * electron-updater's own GenericProvider (the code NsisUpdater/AppImageUpdater use to read the
 * feed), pointed at a real fastify serving the hub's release routes. Proves that the feed URL,
 * the X-Sibantong-Device header set by configure() and the hub's staged rollout fit together.
 */
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { HttpExecutor } from 'builder-util-runtime';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider.js';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ReleaseStore,
  isInRollout,
  registerReleaseRoutes,
} from '../../../sync-server/src/releases/index';
import { writeFakeBuild } from '../../../sync-server/test/releases/fakeBuild';
import type { UpdateState } from '../../src/bridge/bridgeApi';
import { compareVersions } from '../../../sync-server/src/releases/store';
import { createUpdateController, type UpdaterLike } from '../../src/main/updates/updateController';

class NodeExecutor extends HttpExecutor<http.ClientRequest> {
  createRequest(options: http.RequestOptions, callback: (res: http.IncomingMessage) => void) {
    return http.request(options, callback);
  }
}

/** Just enough of AppUpdater: check via GenericProvider, emit electron-updater's events. */
class ProviderUpdater extends EventEmitter implements UpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  allowDowngrade = false;
  requestHeaders: Record<string, string> | null = null;
  private url = '';
  constructor(private readonly currentVersion: string) {
    super();
  }
  setFeedURL(o: { provider: 'generic'; url: string }) {
    this.url = o.url;
  }
  async checkForUpdates() {
    this.emit('checking-for-update');
    try {
      const provider = new GenericProvider(
        { provider: 'generic', url: this.url },
        { channel: null, isAddNoCacheQuery: false } as never,
        {
          executor: new NodeExecutor(),
          platform: 'linux',
          isUseMultipleRangeRequest: false,
        } as never,
      );
      provider.setRequestHeaders(this.requestHeaders);
      const info = await provider.getLatestVersion();
      const cmp = compareVersions(info.version, this.currentVersion);
      if (cmp > 0 || (cmp < 0 && this.allowDowngrade)) this.emit('update-available', info);
      else this.emit('update-not-available', info);
      return info;
    } catch (e) {
      this.emit('error', e);
      throw e;
    }
  }
  quitAndInstall() {}
}

let tmp: string;
let app: FastifyInstance;
let hubUrl: string;

beforeAll(async () => {
  process.env.TEST_UPDATER_ARCH = 'x64';
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'sbt-feed-it-'));
  const dataDir = path.join(tmp, 'hub');
  const store = new ReleaseStore(dataDir);
  await store.publish((await writeFakeBuild(tmp, '1.0.0')).folder, { channel: 'stable' });
  await store.publish((await writeFakeBuild(tmp, '1.1.0')).folder, {
    channel: 'stable',
    rollout: 50,
  });
  // As the hub's own server (sync-server/src/server.ts): close() ends busy connections too.
  app = Fastify({ forceCloseConnections: true });
  await registerReleaseRoutes(app, { dataDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  hubUrl = `http://127.0.0.1:${addr.port}`;
});

afterAll(async () => {
  delete process.env.TEST_UPDATER_ARCH;
  await app?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function checkAs(deviceKey: string, appVersion: string): Promise<UpdateState> {
  const sent: UpdateState[] = [];
  const c = createUpdateController({
    updater: new ProviderUpdater(appVersion),
    deviceKey,
    appVersion,
    send: (s) => sent.push(s),
    log: { info() {}, warn() {} },
  });
  c.configure(hubUrl, 'stable');
  await c.checkNow();
  return sent.at(-1)!;
}

describe('update controller ↔ hub feed (electron-updater GenericProvider)', () => {
  it('devices inside the 50% rollout are offered 1.1.0, the others stay on 1.0.0', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `village-pc-${i}`);
    let offered = 0;
    for (const id of ids) {
      const state = await checkAs(id, '1.0.0');
      if (isInRollout(id, '1.1.0', 50)) {
        expect(state).toEqual({ kind: 'available', version: '1.1.0' });
        offered++;
      } else {
        expect(state.kind).toBe('none');
      }
    }
    expect(offered).toBeGreaterThan(5);
    expect(offered).toBeLessThan(35);
  });

  it('a stopped hub gives UPDATE_HUB_UNREACHABLE', async () => {
    const dead = Fastify();
    await dead.listen({ port: 0, host: '127.0.0.1' });
    const addr = dead.server.address();
    await dead.close();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    const sent: UpdateState[] = [];
    const c = createUpdateController({
      updater: new ProviderUpdater('1.0.0'),
      deviceKey: 'x',
      appVersion: '1.0.0',
      send: (s) => sent.push(s),
      log: { info() {}, warn() {} },
    });
    c.configure(`http://127.0.0.1:${addr.port}`, 'stable');
    await c.checkNow();
    expect(sent.at(-1)).toMatchObject({ kind: 'error', code: 'UPDATE_HUB_UNREACHABLE' });
  }, 30_000);
});
