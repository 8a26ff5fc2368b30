import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import yaml from 'js-yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
// electron-updater's own feed parser (what the desktop client runs on the yml we serve).
import { parseUpdateInfo } from 'electron-updater/out/providers/Provider.js';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider.js';
import { HttpExecutor } from 'builder-util-runtime';
import http from 'node:http';
import type { UpdateInfo } from 'builder-util-runtime';
import {
  ReleaseStore,
  isInRollout,
  registerReleaseRoutes,
  rolloutBucket,
  runReleaseCli,
} from '../../src/releases/index.js';
import { writeFakeBuild, type FakeBuild } from './fakeBuild.js';

let tmp: string;
let dataDir: string;
let app: FastifyInstance;
let base: string;

async function freshHub(): Promise<void> {
  if (app) await app.close();
  dataDir = await fs.mkdtemp(path.join(tmp, 'hub-'));
  // As the hub's own server (src/server.ts): close() also ends connections that were still
  // busy when it was called. Without it, a feed answer finishing just as the next test began
  // held close() for the 72 s keep-alive timeout (seen on about half the runs).
  app = Fastify({ forceCloseConnections: true });
  await registerReleaseRoutes(app, { dataDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${addr.port}`;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    const code = await runReleaseCli(argv, { dataDir });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

async function feed(channel: string, file: string, device?: string, version?: string) {
  const headers: Record<string, string> = {};
  if (device) headers['X-Sibantong-Device'] = device;
  if (version) headers['X-Sibantong-Version'] = version;
  const res = await fetch(`${base}/updates/${channel}/${file}`, { headers });
  const text = await res.text();
  return { status: res.status, text, res };
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'sbt-releases-'));
});
afterAll(async () => {
  if (app) await app.close();
  await fs.rm(tmp, { recursive: true, force: true });
});
beforeEach(freshHub);

describe('release publish and the generic-provider feed', () => {
  it('publishes a verified build and serves a feed electron-updater parses', async () => {
    const build = await writeFakeBuild(tmp, '1.2.0');
    const r = await cli('release', 'publish', build.folder, '--channel', 'stable');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1.2.0');

    for (const [file, arch] of [
      ['latest.yml', 'win-x64.exe'],
      ['latest-linux.yml', 'linux-x86_64.AppImage'],
      ['latest-linux-arm64.yml', 'linux-arm64.AppImage'],
    ] as const) {
      const { status, text } = await feed('stable', file, 'dev-1');
      expect(status).toBe(200);
      const info = parseUpdateInfo(text, file, new URL(`${base}/updates/stable/${file}`));
      expect(info.version).toBe('1.2.0');
      expect(info.files[0]!.url).toBe(`Sibantong-1.2.0-${arch}`);
      const art = await fetch(`${base}/updates/stable/${info.files[0]!.url}`);
      expect(art.status).toBe(200);
      expect(Buffer.from(await art.arrayBuffer())).toEqual(build.files[info.files[0]!.url]);
    }
    // copied into the channel's version folder
    const copied = await fs.readdir(path.join(dataDir, 'releases', 'stable', '1.2.0'));
    expect(copied).toContain('latest.yml');
    expect(copied).toContain('Sibantong-1.2.0-win-x64.exe.blockmap');
  });

  it("electron-updater's GenericProvider reads the hub feed end to end (no Electron needed)", async () => {
    const build = await writeFakeBuild(tmp, '2.0.0');
    expect((await cli('publish', build.folder, '--channel', 'pilot')).code).toBe(0);

    // Node executor for builder-util-runtime's HttpExecutor (Electron's net module stands in here).
    class NodeExecutor extends HttpExecutor<http.ClientRequest> {
      createRequest(options: http.RequestOptions, callback: (res: http.IncomingMessage) => void) {
        return http.request(options, callback);
      }
    }
    for (const [platform, arch, expected] of [
      ['win32', 'x64', 'Sibantong-2.0.0-win-x64.exe'],
      ['linux', 'x64', 'Sibantong-2.0.0-linux-x86_64.AppImage'],
      ['linux', 'arm64', 'Sibantong-2.0.0-linux-arm64.AppImage'],
    ] as const) {
      process.env.TEST_UPDATER_ARCH = arch;
      const provider = new GenericProvider(
        { provider: 'generic', url: `${base}/updates/pilot` },
        { channel: null, isAddNoCacheQuery: false } as never,
        { executor: new NodeExecutor(), platform, isUseMultipleRangeRequest: false } as never,
      );
      provider.setRequestHeaders({ 'X-Sibantong-Device': 'dev-gp' });
      const info: UpdateInfo = await provider.getLatestVersion();
      expect(info.version).toBe('2.0.0');
      const files = provider.resolveFiles(info);
      expect(files[0]!.url.href).toBe(`${base}/updates/pilot/${expected}`);
      expect(files[0]!.info.sha512).toBe(
        (
          yaml.load(
            await fs.readFile(
              path.join(
                build.folder,
                platform === 'win32'
                  ? 'latest.yml'
                  : arch === 'x64'
                    ? 'latest-linux.yml'
                    : 'latest-linux-arm64.yml',
              ),
              'utf8',
            ),
          ) as UpdateInfo
        ).sha512,
      );
    }
    delete process.env.TEST_UPDATER_ARCH;
  });

  it('refuses a tampered installer with its own code and a Chinese message, and publishes nothing', async () => {
    const build = await writeFakeBuild(tmp, '1.3.0');
    const exe = path.join(build.folder, 'Sibantong-1.3.0-win-x64.exe');
    const body = await fs.readFile(exe);
    body[100] = body[100]! ^ 0xff; // same size, different bytes
    await fs.writeFile(exe, body);
    const r = await cli('publish', build.folder, '--channel', 'stable');
    expect(r.code).toBe(1);
    expect(r.err).toContain('RELEASE_CHECKSUM_MISMATCH');
    expect(r.err).toMatch(/校验值.*不符/);
    expect((await feed('stable', 'latest.yml', 'd')).status).toBe(404);
    const left = await fs.readdir(path.join(dataDir, 'releases', 'stable'));
    expect(left.filter((f) => !f.endsWith('.json'))).toEqual([]);
  });

  it('refuses a build whose listed file is missing or whose size differs', async () => {
    const a = await writeFakeBuild(tmp, '1.4.0');
    await fs.rm(path.join(a.folder, 'Sibantong-1.4.0-linux-arm64.AppImage'));
    await expect(
      new ReleaseStore(dataDir).publish(a.folder, { channel: 'stable' }),
    ).rejects.toMatchObject({
      code: 'RELEASE_FILE_MISSING',
    });
    const b = await writeFakeBuild(tmp, '1.4.1');
    await fs.appendFile(path.join(b.folder, 'Sibantong-1.4.1-linux-x86_64.AppImage'), 'x');
    await expect(
      new ReleaseStore(dataDir).publish(b.folder, { channel: 'stable' }),
    ).rejects.toMatchObject({
      code: 'RELEASE_SIZE_MISMATCH',
    });
    const empty = await fs.mkdtemp(path.join(tmp, 'empty-'));
    const r = await cli('publish', empty, '--channel', 'stable');
    expect(r.code).toBe(1);
    expect(r.err).toContain('RELEASE_FEED_MISSING');
    expect((await cli('publish', b.folder, '--channel', 'nightly')).err).toContain(
      'RELEASE_BAD_CHANNEL',
    );
    expect(
      (await cli('publish', b.folder, '--channel', 'stable', '--rollout', '150')).err,
    ).toContain('RELEASE_BAD_ROLLOUT');
    expect((await cli('publish')).code).toBe(2);
  });

  it('serves single byte ranges for differential downloads', async () => {
    const build = await writeFakeBuild(tmp, '1.0.0');
    await cli('publish', build.folder, '--channel', 'stable');
    const name = 'Sibantong-1.0.0-win-x64.exe';
    const body = build.files[name]!;
    const url = `${base}/updates/stable/${name}`;
    const part = await fetch(url, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${body.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(body.subarray(10, 20));
    const tail = await fetch(url, { headers: { Range: 'bytes=-5' } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(body.subarray(body.length - 5));
    const open = await fetch(url, { headers: { Range: `bytes=${body.length - 3}-` } });
    expect(Buffer.from(await open.arrayBuffer())).toEqual(body.subarray(body.length - 3));
    const past = await fetch(url, { headers: { Range: `bytes=${body.length}-` } });
    expect(past.status).toBe(416);
    const multi = await fetch(url, { headers: { Range: 'bytes=0-1,5-6' } });
    expect(multi.status).toBe(200);
    expect(Buffer.from(await multi.arrayBuffer())).toEqual(body);
    // the previous build's blockmap stays reachable for differential downloads of the next one
    const v2 = await writeFakeBuild(tmp, '1.1.0');
    await cli('publish', v2.folder, '--channel', 'stable');
    expect((await fetch(`${base}/updates/stable/${name}.blockmap`)).status).toBe(200);
  });

  it('rejects path traversal and unknown files', async () => {
    const build = await writeFakeBuild(tmp, '1.0.0');
    await cli('publish', build.folder, '--channel', 'stable');
    await fs.writeFile(path.join(dataDir, 'secret.txt'), 'top secret');
    for (const p of [
      '/updates/stable/..%2F..%2Fsecret.txt',
      '/updates/stable/%2e%2e%2fchannel.json',
      '/updates/stable/channel.json',
      '/updates/stable/..',
      '/updates/..%2F..%2Fsecret.txt/latest.yml',
      '/updates/stable/.staging',
      '/updates/stable/evil.yml',
      '/updates/stable/1.0.0',
    ]) {
      const res = await fetch(`${base}${p}`);
      expect([400, 404], p).toContain(res.status);
      expect(await res.text()).not.toContain('top secret');
    }
  });
});

describe('staged rollout by device id', () => {
  it('is deterministic and close to the requested share over many devices', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `device-${i}`);
    for (const percent of [10, 25, 50]) {
      const inside = ids.filter((id) => isInRollout(id, '3.1.0', percent)).length / ids.length;
      expect(Math.abs(inside - percent / 100)).toBeLessThan(0.03);
    }
    expect(ids.map((id) => rolloutBucket(id, '3.1.0'))).toEqual(
      ids.map((id) => rolloutBucket(id, '3.1.0')),
    );
    // a device inside at 10% stays inside at 50% (monotone in the percentage)
    for (const id of ids.slice(0, 500)) {
      if (isInRollout(id, '3.1.0', 10)) expect(isInRollout(id, '3.1.0', 50)).toBe(true);
    }
    expect(isInRollout(null, '3.1.0', 99)).toBe(false);
    expect(isInRollout(null, '3.1.0', 100)).toBe(true);
    expect(isInRollout('x', '3.1.0', 0)).toBe(false);
  });

  it('serves the new build to devices inside the rollout and the previous build to the rest', async () => {
    const v1 = await writeFakeBuild(tmp, '1.0.0');
    const v2 = await writeFakeBuild(tmp, '1.1.0');
    expect((await cli('publish', v1.folder, '--channel', 'stable')).code).toBe(0);
    expect((await cli('publish', v2.folder, '--channel', 'stable', '--rollout', '30')).code).toBe(
      0,
    );

    const ids = Array.from({ length: 300 }, (_, i) => `town-pc-${i}`);
    let newer = 0;
    for (const id of ids) {
      const { text, status } = await feed('stable', 'latest-linux.yml', id);
      expect(status).toBe(200);
      const version = (yaml.load(text) as UpdateInfo).version;
      expect(version).toBe(isInRollout(id, '1.1.0', 30) ? '1.1.0' : '1.0.0');
      if (version === '1.1.0') newer++;
      // asking again gives the same answer; ?device= works like the header
      const again = await fetch(`${base}/updates/stable/latest-linux.yml?device=${id}`);
      expect((yaml.load(await again.text()) as UpdateInfo).version).toBe(version);
    }
    expect(newer / ids.length).toBeGreaterThan(0.2);
    expect(newer / ids.length).toBeLessThan(0.4);
    // a client without a device id stays on the previous build
    expect((yaml.load((await feed('stable', 'latest.yml')).text) as UpdateInfo).version).toBe(
      '1.0.0',
    );

    // widening to 100% offers it to everybody
    expect((await cli('rollout', '--channel', 'stable', '--percent', '100')).code).toBe(0);
    expect(
      (yaml.load((await feed('stable', 'latest.yml', ids[0])).text) as UpdateInfo).version,
    ).toBe('1.1.0');
  });

  it('holds a device outside the first rollout on its own version', async () => {
    const v1 = await writeFakeBuild(tmp, '1.0.0');
    await cli('publish', v1.folder, '--channel', 'pilot', '--rollout', '0');
    const { status, text } = await feed('pilot', 'latest.yml', 'dev-9', '0.9.0');
    expect(status).toBe(200);
    expect((yaml.load(text) as UpdateInfo).version).toBe('0.9.0');
    expect((await feed('pilot', 'latest.yml', 'dev-9')).status).toBe(404);
  });

  it('strips electron-updater stagingPercentage so the hub alone decides', async () => {
    const v1 = await writeFakeBuild(tmp, '1.0.0');
    const p = path.join(v1.folder, 'latest.yml');
    const info = yaml.load(await fs.readFile(p, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(p, yaml.dump({ ...info, stagingPercentage: 5 }));
    await cli('publish', v1.folder, '--channel', 'stable');
    const { text } = await feed('stable', 'latest.yml', 'd1');
    expect(text).not.toContain('stagingPercentage');
  });
});

describe('one writer per channel', () => {
  it('refuses a second concurrent publish with RELEASE_BUSY and leaves no lock behind', async () => {
    const a = await writeFakeBuild(tmp, '5.0.0');
    const b = await writeFakeBuild(tmp, '5.1.0');
    const store = new ReleaseStore(dataDir);
    const results = await Promise.allSettled([
      store.publish(a.folder, { channel: 'stable' }),
      store.publish(b.folder, { channel: 'stable' }),
    ]);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBe(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'RELEASE_BUSY' });
    const names = await fs.readdir(path.join(dataDir, 'releases', 'stable'));
    expect(names).not.toContain('.lock');
  });
});

describe('release rollback and list', () => {
  it('returns the channel to the previous build and keeps the history on disk', async () => {
    const builds: FakeBuild[] = [];
    for (const v of ['1.0.0', '1.1.0', '1.2.0']) {
      builds.push(await writeFakeBuild(tmp, v));
      expect((await cli('publish', builds.at(-1)!.folder, '--channel', 'stable')).code).toBe(0);
    }
    expect((yaml.load((await feed('stable', 'latest.yml', 'a')).text) as UpdateInfo).version).toBe(
      '1.2.0',
    );
    const r = await cli('rollback', '--channel', 'stable');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1.1.0');
    expect((yaml.load((await feed('stable', 'latest.yml', 'a')).text) as UpdateInfo).version).toBe(
      '1.1.0',
    );
    await cli('rollback', '--channel', 'stable');
    expect((yaml.load((await feed('stable', 'latest.yml', 'a')).text) as UpdateInfo).version).toBe(
      '1.0.0',
    );
    const none = await cli('rollback', '--channel', 'stable');
    expect(none.code).toBe(1);
    expect(none.err).toContain('RELEASE_NO_PREVIOUS');

    // a rolled-back version cannot be published again, nor can an older one
    expect((await cli('publish', builds[2]!.folder, '--channel', 'stable')).err).toContain(
      'RELEASE_ALREADY_PUBLISHED',
    );
    const old = await writeFakeBuild(tmp, '0.9.0');
    expect((await cli('publish', old.folder, '--channel', 'stable')).err).toContain(
      'RELEASE_VERSION_NOT_NEWER',
    );

    const state = JSON.parse(
      await fs.readFile(path.join(dataDir, 'releases', 'stable', 'channel.json'), 'utf8'),
    );
    expect(state.stack.map((b: { version: string }) => b.version)).toEqual(['1.0.0']);
    expect(state.retired.map((b: { version: string }) => b.version)).toEqual(['1.2.0', '1.1.0']);
    expect(state.log.map((l: { action: string }) => l.action)).toEqual([
      'publish',
      'publish',
      'publish',
      'rollback',
      'rollback',
    ]);
    // no temporary files left behind by the atomic writes
    const names = await fs.readdir(path.join(dataDir, 'releases', 'stable'));
    expect(
      names.filter((n) => n.endsWith('.tmp') || n.startsWith('.staging') || n === '.lock'),
    ).toEqual([]);

    const list = await cli('list');
    expect(list.code).toBe(0);
    expect(list.out).toContain('当前版本 1.0.0');
    expect(list.out).toContain('已退回 1.2.0');
    const json = await cli('list', '--channel', 'stable', '--json');
    expect(JSON.parse(json.out)[0].channel).toBe('stable');
  });
});
