/**
 * GET /updates/:channel/:file — electron-updater's generic provider. The feed files
 * (latest*.yml) are chosen per device for staged rollouts; artifacts are streamed from the
 * channel's published builds only.
 */
import { createReadStream, promises as fs } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isChannel, isFeedFile, isSafeFileName, serializeFeed } from './feed.js';
import { ReleaseStore } from './store.js';

export const DEVICE_HEADER = 'x-sibantong-device';
export const VERSION_HEADER = 'x-sibantong-version';

function refuse(reply: FastifyReply, status: number, code: string, messageZh: string) {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ code, message: messageZh });
}

function firstString(v: unknown): string | null {
  if (typeof v === 'string' && v.length > 0 && v.length <= 200) return v;
  if (Array.isArray(v)) return firstString(v[0]);
  return null;
}

/**
 * A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range; null to send the whole file (no header,
 * several ranges, or a form we do not serve), 'unsatisfiable' for a range past the end.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return null;
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export async function releaseRoutes(app: FastifyInstance, dataDir: string): Promise<void> {
  const store = new ReleaseStore(dataDir);

  app.get<{
    Params: { channel: string; file: string };
    Querystring: { device?: string; version?: string };
  }>('/updates/:channel/:file', async (req, reply) => {
    const { channel, file } = req.params;
    if (!isChannel(channel)) {
      return refuse(reply, 404, 'RELEASE_BAD_CHANNEL', `未知的更新通道“${channel}”。`);
    }
    if (!isSafeFileName(file)) {
      return refuse(reply, 400, 'RELEASE_BAD_PATH', '文件名不合法。');
    }
    reply.header('cache-control', 'no-store');
    if (file.endsWith('.yml')) {
      if (!isFeedFile(file)) {
        return refuse(reply, 404, 'RELEASE_NOT_FOUND', `没有 ${file}。`);
      }
      const deviceId =
        firstString(req.headers[DEVICE_HEADER]) ?? firstString(req.query.device) ?? null;
      const installed =
        firstString(req.headers[VERSION_HEADER]) ?? firstString(req.query.version) ?? null;
      const resolved = await store.resolveFeed(channel, file, deviceId, installed);
      if (!resolved) {
        return refuse(
          reply,
          404,
          'RELEASE_NOT_FOUND',
          `${channel} 通道暂无适用于本设备的 ${file}。`,
        );
      }
      reply.header('vary', 'X-Sibantong-Device, X-Sibantong-Version');
      reply.header('x-sibantong-release', `${resolved.info.version}; ${resolved.source}`);
      return reply.type('text/yaml; charset=utf-8').send(serializeFeed(resolved.info));
    }
    const p = await store.artifactPath(channel, file);
    if (!p) {
      return refuse(reply, 404, 'RELEASE_NOT_FOUND', `${channel} 通道没有文件 ${file}。`);
    }
    const stat = await fs.stat(p);
    reply.header('accept-ranges', 'bytes');
    reply.type('application/octet-stream');
    // One byte range (electron-updater's differential download with useMultipleRangeRequest: false).
    const range = parseRange(req.headers.range, stat.size);
    if (range === 'unsatisfiable') {
      reply.header('content-range', `bytes */${stat.size}`);
      return refuse(reply, 416, 'RELEASE_BAD_RANGE', '请求的范围超出文件大小。');
    }
    if (range) {
      reply.code(206);
      reply.header('content-range', `bytes ${range.start}-${range.end}/${stat.size}`);
      reply.header('content-length', String(range.end - range.start + 1));
      return reply.send(createReadStream(p, { start: range.start, end: range.end }));
    }
    reply.header('content-length', String(stat.size));
    return reply.send(createReadStream(p));
  });
}
