/**
 * Releases on disk: `${dataDir}/releases/<channel>/<version>/` holds one verified build
 * (its latest*.yml files, installers and blockmaps) and `${dataDir}/releases/<channel>/channel.json`
 * the channel's history. The JSON is replaced atomically (write a temporary file, fsync,
 * rename), so the hub serving the feed never reads half a file while the CLI publishes.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import {
  FEED_FILES,
  type Channel,
  type FeedFile,
  type UpdateInfo,
  ReleaseError,
  isChannel,
  isFeedFile,
  isInRollout,
  isSafeFileName,
  isValidVersion,
  parseFeed,
  sha512OfFile,
} from './feed.js';

export interface Build {
  version: string;
  /** Percentage of devices (0–100) that are offered this build; the rest keep the previous one. */
  rollout: number;
  publishedAt: string;
  feeds: FeedFile[];
  files: string[];
}

export interface ChannelState {
  channel: Channel;
  /** Deployed builds, oldest first; the last one is current, the one before it is previous. */
  stack: Build[];
  /** Builds taken back by a rollback (kept on disk, never offered again). */
  retired: Build[];
  log: Array<{
    at: string;
    action: 'publish' | 'rollback' | 'rollout';
    version: string;
    rollout?: number;
  }>;
}

export interface PublishOptions {
  channel: string;
  rollout?: number;
  now?: Date;
}

export interface ResolvedFeed {
  info: UpdateInfo;
  /** 'current' = the newest build, 'previous' = the build before it (device outside the rollout), 'hold' = the device's own version. */
  source: 'current' | 'previous' | 'hold';
}

export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('+')[0]!.split(/-(.*)/s);
    return { nums: core.split('.').map((n) => Number(n)), pre: pre ?? null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}

function checkRollout(rollout: number): number {
  if (!Number.isInteger(rollout) || rollout < 0 || rollout > 100) {
    throw new ReleaseError('RELEASE_BAD_ROLLOUT', '灰度比例必须是 0 到 100 之间的整数。', {
      rollout,
    });
  }
  return rollout;
}

function checkChannel(channel: string): Channel {
  if (!isChannel(channel)) {
    throw new ReleaseError(
      'RELEASE_BAD_CHANNEL',
      `未知的更新通道“${channel}”，可用：stable、pilot。`,
      {
        channel,
      },
    );
  }
  return channel;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(value, null, 2) + '\n', 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
}

export class ReleaseStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'releases');
  }

  channelDir(channel: Channel): string {
    return path.join(this.root, channel);
  }

  private stateFile(channel: Channel): string {
    return path.join(this.channelDir(channel), 'channel.json');
  }

  async load(channelName: string): Promise<ChannelState> {
    const channel = checkChannel(channelName);
    try {
      const text = await fs.readFile(this.stateFile(channel), 'utf8');
      return JSON.parse(text) as ChannelState;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        return { channel, stack: [], retired: [], log: [] };
      }
      throw e;
    }
  }

  /**
   * One writer per channel (publish, rollback and rollout from two terminals must not
   * interleave): an exclusive lock file; a lock older than 30 minutes is taken as stale.
   */
  private async withLock<T>(channelName: string, fn: () => Promise<T>): Promise<T> {
    const channel = checkChannel(channelName);
    await fs.mkdir(this.channelDir(channel), { recursive: true });
    const lock = path.join(this.channelDir(channel), '.lock');
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await fs.open(lock, 'wx');
        await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
        await handle.close();
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const stat = await fs.stat(lock).catch(() => null);
        if (attempt === 0 && stat && Date.now() - stat.mtimeMs > 30 * 60_000) {
          await fs.rm(lock, { force: true });
          continue;
        }
        throw new ReleaseError(
          'RELEASE_BUSY',
          `${channel} 通道正在进行另一个发布或回退操作，请稍后再试（如确认没有，删除 ${lock}）。`,
          { channel },
        );
      }
    }
    try {
      return await fn();
    } finally {
      await fs.rm(lock, { force: true });
    }
  }

  private async save(state: ChannelState): Promise<void> {
    await writeJsonAtomic(this.stateFile(state.channel), state);
  }

  /**
   * Verifies a build folder against its latest*.yml (every file present, size and sha512
   * equal), copies it into the channel and makes it current for `rollout` percent of devices.
   */
  async publish(folder: string, opts: PublishOptions): Promise<Build> {
    return this.withLock(opts.channel, () => this.publishLocked(folder, opts));
  }

  private async publishLocked(folder: string, opts: PublishOptions): Promise<Build> {
    const channel = checkChannel(opts.channel);
    const rollout = checkRollout(opts.rollout ?? 100);
    const now = (opts.now ?? new Date()).toISOString();

    const feeds: Array<{ name: FeedFile; info: UpdateInfo }> = [];
    for (const name of FEED_FILES) {
      const p = path.join(folder, name);
      if (!(await exists(p))) continue;
      feeds.push({ name, info: parseFeed(await fs.readFile(p, 'utf8'), name) });
    }
    if (feeds.length === 0) {
      throw new ReleaseError(
        'RELEASE_FEED_MISSING',
        `文件夹 ${folder} 中没有 latest.yml、latest-linux.yml 或 latest-linux-arm64.yml，无法发布。`,
        { folder },
      );
    }
    const version = feeds[0]!.info.version;
    for (const f of feeds) {
      if (f.info.version !== version) {
        throw new ReleaseError(
          'RELEASE_VERSION_MISMATCH',
          `${f.name} 的版本 ${f.info.version} 与 ${feeds[0]!.name} 的版本 ${version} 不一致。`,
          { version, other: f.info.version },
        );
      }
    }
    if (!isValidVersion(version)) {
      throw new ReleaseError('RELEASE_FEED_INVALID', `版本号 ${String(version)} 无效。`);
    }

    // Every file named by a feed, with its expected sha512 and size.
    const expected = new Map<string, { sha512: string; size?: number; feed: string }>();
    for (const f of feeds) {
      for (const file of f.info.files) {
        const prior = expected.get(file.url);
        if (prior && prior.sha512 !== file.sha512) {
          throw new ReleaseError(
            'RELEASE_CHECKSUM_MISMATCH',
            `文件 ${file.url} 在 ${prior.feed} 与 ${f.name} 中的 SHA-512 不一致，已拒绝发布。`,
            { file: file.url },
          );
        }
        expected.set(file.url, {
          sha512: file.sha512,
          ...(file.size !== undefined ? { size: file.size } : {}),
          feed: f.name,
        });
      }
      if (f.info.path !== undefined) {
        const entry = expected.get(f.info.path);
        if (!entry || (f.info.sha512 !== undefined && f.info.sha512 !== entry.sha512)) {
          throw new ReleaseError(
            'RELEASE_FEED_INVALID',
            `${f.name} 的 path/sha512 与 files 列表不一致。`,
            { file: f.name },
          );
        }
      }
    }

    const state = await this.load(channel);
    const known = [...state.stack, ...state.retired].some((b) => b.version === version);
    const versionDir = path.join(this.channelDir(channel), version);
    if (known || (await exists(versionDir))) {
      throw new ReleaseError(
        'RELEASE_ALREADY_PUBLISHED',
        `版本 ${version} 已在 ${channel} 通道发布过；请使用新的版本号重新打包。`,
        { version, channel },
      );
    }
    const current = state.stack.at(-1);
    if (current && compareVersions(version, current.version) <= 0) {
      throw new ReleaseError(
        'RELEASE_VERSION_NOT_NEWER',
        `版本 ${version} 不高于 ${channel} 通道当前版本 ${current.version}；要退回旧版本请使用 release rollback。`,
        { version, current: current.version },
      );
    }

    // Copy into a staging folder and verify the copies (what the hub will serve), then move
    // the folder into place in one rename.
    const staging = path.join(
      this.channelDir(channel),
      `.staging-${version}-${randomBytes(4).toString('hex')}`,
    );
    await fs.mkdir(staging, { recursive: true });
    const files: string[] = [];
    try {
      for (const [name, want] of expected) {
        const src = path.join(folder, name);
        if (!(await exists(src))) {
          throw new ReleaseError(
            'RELEASE_FILE_MISSING',
            `${want.feed} 列出的文件 ${name} 不在文件夹 ${folder} 中，已拒绝发布。`,
            { file: name },
          );
        }
        const dst = path.join(staging, name);
        await fs.copyFile(src, dst);
        const stat = await fs.stat(dst);
        if (want.size !== undefined && stat.size !== want.size) {
          throw new ReleaseError(
            'RELEASE_SIZE_MISMATCH',
            `文件 ${name} 的大小（${stat.size} 字节）与 ${want.feed} 记录的 ${want.size} 字节不符，可能已损坏或被篡改，已拒绝发布。`,
            { file: name, actual: stat.size, expected: want.size },
          );
        }
        const actual = await sha512OfFile(dst);
        if (actual !== want.sha512) {
          throw new ReleaseError(
            'RELEASE_CHECKSUM_MISMATCH',
            `文件 ${name} 的 SHA-512 校验值与 ${want.feed} 不符，可能已损坏或被篡改，已拒绝发布。`,
            { file: name, expected: want.sha512, actual },
          );
        }
        files.push(name);
        // Blockmaps (differential download) travel with their installer when present.
        const blockmap = `${name}.blockmap`;
        if (await exists(path.join(folder, blockmap))) {
          await fs.copyFile(path.join(folder, blockmap), path.join(staging, blockmap));
          files.push(blockmap);
        }
      }
      for (const f of feeds) {
        await fs.copyFile(path.join(folder, f.name), path.join(staging, f.name));
      }
      await fs.rename(staging, versionDir);
    } catch (e) {
      await fs.rm(staging, { recursive: true, force: true });
      throw e;
    }

    const build: Build = {
      version,
      rollout,
      publishedAt: now,
      feeds: feeds.map((f) => f.name),
      files,
    };
    state.stack.push(build);
    state.log.push({ at: now, action: 'publish', version, rollout });
    await this.save(state);
    return build;
  }

  /** Takes the current build back: the previous one becomes current for every device. */
  async rollback(channelName: string, now = new Date()): Promise<{ from: Build; to: Build }> {
    return this.withLock(channelName, () => this.rollbackLocked(channelName, now));
  }

  private async rollbackLocked(
    channelName: string,
    now: Date,
  ): Promise<{ from: Build; to: Build }> {
    const state = await this.load(channelName);
    if (state.stack.length < 2) {
      throw new ReleaseError(
        'RELEASE_NO_PREVIOUS',
        `${state.channel} 通道没有可以退回的上一个版本。`,
        { channel: state.channel },
      );
    }
    const from = state.stack.pop()!;
    state.retired.push(from);
    const to = state.stack.at(-1)!;
    to.rollout = 100;
    state.log.push({ at: now.toISOString(), action: 'rollback', version: to.version });
    await this.save(state);
    return { from, to };
  }

  /** Changes the share of devices offered the current build (widen a staged rollout). */
  async setRollout(channelName: string, rollout: number, now = new Date()): Promise<Build> {
    checkRollout(rollout);
    return this.withLock(channelName, () => this.setRolloutLocked(channelName, rollout, now));
  }

  private async setRolloutLocked(channelName: string, rollout: number, now: Date): Promise<Build> {
    const state = await this.load(channelName);
    const current = state.stack.at(-1);
    if (!current) {
      throw new ReleaseError('RELEASE_CHANNEL_EMPTY', `${state.channel} 通道尚未发布任何版本。`);
    }
    current.rollout = rollout;
    state.log.push({ at: now.toISOString(), action: 'rollout', version: current.version, rollout });
    await this.save(state);
    return current;
  }

  /**
   * The feed a device gets: the current build when the device falls inside its rollout,
   * otherwise the previous build, otherwise a feed naming the device's own version (so
   * electron-updater reports "no update"), otherwise null.
   */
  async resolveFeed(
    channelName: string,
    feedFile: string,
    deviceId: string | null,
    installedVersion: string | null,
  ): Promise<ResolvedFeed | null> {
    if (!isFeedFile(feedFile)) return null;
    const state = await this.load(channelName);
    const current = state.stack.at(-1);
    if (!current) return null;
    const pick = async (build: Build, source: ResolvedFeed['source']) => {
      if (!build.feeds.includes(feedFile)) return null;
      const text = await fs.readFile(
        path.join(this.channelDir(state.channel), build.version, feedFile),
        'utf8',
      );
      const info = parseFeed(text, feedFile);
      // The hub decides the rollout; electron-updater's own random staging must not apply twice.
      delete info.stagingPercentage;
      return { info, source };
    };
    if (isInRollout(deviceId, current.version, current.rollout)) {
      return pick(current, 'current');
    }
    const previous = state.stack.at(-2);
    if (previous) {
      const resolved = await pick(previous, 'previous');
      if (resolved) return resolved;
    }
    if (installedVersion && isValidVersion(installedVersion)) {
      return {
        source: 'hold',
        info: { version: installedVersion, files: [], releaseDate: current.publishedAt },
      };
    }
    return null;
  }

  /** Absolute path of an artifact of this channel, or null when it is not a published file. */
  async artifactPath(channelName: string, file: string): Promise<string | null> {
    if (!isSafeFileName(file)) return null;
    const state = await this.load(channelName);
    for (const build of [...state.stack].reverse().concat(state.retired)) {
      if (build.files.includes(file)) {
        return path.join(this.channelDir(state.channel), build.version, file);
      }
    }
    return null;
  }
}
