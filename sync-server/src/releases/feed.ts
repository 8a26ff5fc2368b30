/**
 * electron-updater's generic-provider feed format (latest.yml, latest-linux.yml,
 * latest-linux-arm64.yml) and the checks the hub runs on it. Pure apart from reading files.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import yaml from 'js-yaml';
import { DomainError } from '@sibantong/shared';

export const CHANNELS = ['stable', 'pilot'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Feed files electron-updater asks for: Windows, Linux x64, Linux arm64. */
export const FEED_FILES = ['latest.yml', 'latest-linux.yml', 'latest-linux-arm64.yml'] as const;
export type FeedFile = (typeof FEED_FILES)[number];

export interface UpdateFileInfo {
  url: string;
  sha512: string;
  size?: number;
  blockMapSize?: number;
  isAdminRightsRequired?: boolean;
}

export interface UpdateInfo {
  version: string;
  files: UpdateFileInfo[];
  path?: string;
  sha512?: string;
  releaseDate?: string;
  releaseNotes?: string | null;
  releaseName?: string | null;
  stagingPercentage?: number;
  [key: string]: unknown;
}

export class ReleaseError extends DomainError {
  constructor(code: string, messageZh: string, details?: Record<string, unknown>) {
    super(code, messageZh, details);
    this.name = 'ReleaseError';
  }
}

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** A plain file name: no separators, no leading dot, nothing that could climb out of a folder. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

export function isSafeFileName(name: string): boolean {
  return SAFE_NAME.test(name) && !name.includes('..') && name.length <= 200;
}

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

export function isFeedFile(name: string): name is FeedFile {
  return (FEED_FILES as readonly string[]).includes(name);
}

export function isValidVersion(v: unknown): v is string {
  return typeof v === 'string' && SEMVER.test(v);
}

/** Parses and shape-checks one latest*.yml; throws RELEASE_FEED_INVALID. */
export function parseFeed(text: string, fileName: string): UpdateInfo {
  let raw: unknown;
  try {
    raw = yaml.load(text);
  } catch (e) {
    throw new ReleaseError('RELEASE_FEED_INVALID', `${fileName} 不是有效的 YAML 文件。`, {
      file: fileName,
      cause: (e as Error).message,
    });
  }
  const bad = (why: string): never => {
    throw new ReleaseError('RELEASE_FEED_INVALID', `${fileName} 格式不正确：${why}`, {
      file: fileName,
    });
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return bad('不是对象');
  const info = raw as Record<string, unknown>;
  // js-yaml turns an unquoted 1.2 into a number; electron-builder always writes x.y.z.
  const version = typeof info.version === 'number' ? String(info.version) : info.version;
  if (!isValidVersion(version)) return bad('缺少有效的 version（应为 x.y.z）');
  if (!Array.isArray(info.files) || info.files.length === 0) return bad('files 为空');
  const files: UpdateFileInfo[] = info.files.map((f: unknown, i: number) => {
    if (f === null || typeof f !== 'object') return bad(`files[${i}] 不是对象`);
    const e = f as Record<string, unknown>;
    if (typeof e.url !== 'string' || !isSafeFileName(e.url))
      return bad(`files[${i}].url 必须是同一文件夹中的文件名`);
    if (typeof e.sha512 !== 'string' || e.sha512.length < 80)
      return bad(`files[${i}].sha512 缺失或不是 base64`);
    if (e.size !== undefined && (typeof e.size !== 'number' || e.size < 0))
      return bad(`files[${i}].size 不是数字`);
    return { ...(e as object), url: e.url, sha512: e.sha512 } as UpdateFileInfo;
  });
  if (info.path !== undefined && (typeof info.path !== 'string' || !isSafeFileName(info.path)))
    return bad('path 必须是同一文件夹中的文件名');
  return { ...info, version, files } as UpdateInfo;
}

export function serializeFeed(info: UpdateInfo): string {
  return yaml.dump(info, { lineWidth: -1, noRefs: true });
}

/** sha512 of a file, base64, the way electron-builder writes it into latest*.yml. */
export function sha512OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha512');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('base64')));
  });
}

/**
 * Staged rollout: a device takes version V when bucket(deviceId, V) < percent. The bucket is
 * sha256(deviceId + '\n' + version) read as an unsigned 32-bit integer mod 100: stable for a
 * device and a version (a device never flips in and out), different per version (the same
 * devices are not always first), and reproducible by IT from the device id alone.
 */
export function rolloutBucket(deviceId: string, version: string): number {
  const digest = createHash('sha256').update(`${deviceId}\n${version}`, 'utf8').digest();
  return digest.readUInt32BE(0) % 100;
}

export function isInRollout(deviceId: string | null, version: string, percent: number): boolean {
  if (percent >= 100) return true;
  if (percent <= 0 || !deviceId) return false;
  return rolloutBucket(deviceId, version) < percent;
}
