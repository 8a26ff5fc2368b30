/**
 * Central error mapping: every refusal leaves as `{ code, message }` with a 4xx, so bad input
 * never produces a 500. Only a genuine fault of the hub answers 500, and a store outage 503.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '@sibantong/shared';
import { isStoreDown } from '../store/store.js';
import { ApiHttpError } from './apiError.js';

const FASTIFY_CODES: Readonly<Record<string, [number, string, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'BODY_TOO_LARGE', '请求内容过大'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', '只接受 application/json 请求'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'EMPTY_BODY', '请求内容为空'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON', '请求内容不是有效的 JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'INVALID_CONTENT_LENGTH', '请求长度与内容不符'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'INVALID_CONTENT_TYPE', '请求内容类型无效'],
};

/**
 * A body refused for its size is still read to its end (and thrown away), up to this many
 * bytes. Fastify answers such a body with `connection: close`; a client still sending when the
 * socket closes sees a broken connection (EPIPE, reset) instead of the 413 and its code — and
 * a PC's push handler splits a batch on 413 but retries the same batch after a network error.
 * Beyond this (no real client sends it) the connection is cut as before.
 */
export const REFUSED_BODY_DRAIN_BYTES = 32 * 1024 * 1024;

function drainRefusedBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (raw.complete) return;
  const declared = Number(raw.headers['content-length']);
  if (declared > REFUSED_BODY_DRAIN_BYTES) return;
  // Kept alive, Node reads the rest of the request before the next one on this connection.
  reply.removeHeader('connection');
  let drained = 0;
  raw.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > REFUSED_BODY_DRAIN_BYTES) raw.socket?.destroy();
  });
  raw.resume();
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiHttpError | Error, request, reply) => {
    let status = 500;
    let body: ApiError = { code: 'INTERNAL_ERROR', message: '枢纽内部错误，请稍后重试' };
    if (err instanceof ApiHttpError) {
      status = err.statusCode;
      body = { code: err.code, message: err.messageZh };
    } else if ('validation' in err && err.validation) {
      status = 400;
      const where = (err as FastifyError).validationContext ?? 'body';
      body = {
        code:
          where === 'querystring'
            ? 'INVALID_QUERY'
            : where === 'params'
              ? 'INVALID_PARAMS'
              : 'INVALID_BODY',
        message: `请求格式不正确：${err.message}`,
      };
    } else if ('code' in err && typeof err.code === 'string' && FASTIFY_CODES[err.code]) {
      const [s, code, message] = FASTIFY_CODES[err.code] as [number, string, string];
      status = s;
      body = { code, message };
      if (code === 'BODY_TOO_LARGE') drainRefusedBody(request, reply);
    } else if (err instanceof SyntaxError || (err as FastifyError).statusCode === 400) {
      status = 400;
      body = { code: 'INVALID_JSON', message: '请求内容不是有效的 JSON' };
    } else if (isStoreDown(err)) {
      status = 503;
      body = { code: 'STORE_UNAVAILABLE', message: '数据存储暂时不可用，请稍后重试' };
    } else if (
      typeof (err as FastifyError).statusCode === 'number' &&
      (err as FastifyError).statusCode! >= 400 &&
      (err as FastifyError).statusCode! < 500
    ) {
      status = (err as FastifyError).statusCode!;
      body = { code: 'BAD_REQUEST', message: '请求无效' };
    } else {
      request.log.error({ err }, 'unhandled error');
    }
    void reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ApiError = {
      code: 'NOT_FOUND',
      message: `接口不存在：${request.method} ${request.url.split('?')[0]}`,
    };
    void reply.status(404).send(body);
  });
}
