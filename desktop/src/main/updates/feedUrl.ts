/** The hub's update feed address for electron-updater's generic provider (pure). */
export type UpdateChannel = 'stable' | 'pilot';

export class UpdateConfigError extends Error {
  constructor(
    public readonly code: string,
    public readonly messageZh: string,
  ) {
    super(`${code}: ${messageZh}`);
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `${hub}/updates/${channel}`. https always; http only to loopback or when IT allowed an
 * insecure hub for a pilot (the same rule as the sync client).
 */
export function updateFeedUrl(
  hubUrl: string,
  channel: UpdateChannel,
  allowInsecure = false,
): string {
  let u: URL;
  try {
    u = new URL(hubUrl);
  } catch {
    throw new UpdateConfigError('UPDATE_HUB_INVALID', `服务中心地址“${hubUrl}”无效。`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new UpdateConfigError('UPDATE_HUB_INVALID', `服务中心地址必须以 https:// 开头。`);
  }
  if (u.protocol === 'http:' && !LOOPBACK.has(u.hostname) && !allowInsecure) {
    throw new UpdateConfigError(
      'UPDATE_HUB_INSECURE',
      '服务中心地址使用了未加密的 http://；请改用 https://，或由信息管理员在试点设置中明确允许。',
    );
  }
  if (u.username || u.password || u.search || u.hash) {
    throw new UpdateConfigError(
      'UPDATE_HUB_INVALID',
      '服务中心地址不能包含用户名、查询参数或片段。',
    );
  }
  const base = u.origin + u.pathname.replace(/\/+$/, '');
  return `${base}/updates/${channel}`;
}
