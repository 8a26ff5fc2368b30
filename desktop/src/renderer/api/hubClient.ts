import { DEVICE_PROOF_HEADER, type ApiError } from '@sibantong/shared';

/** Error from the hub (or from failing to reach it), always with a Chinese message for the UI. */
export class HubError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'HubError';
  }
  /** True when the hub could not be reached at all (offline, DNS, refused): callers fall back to offline work. */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: '请求内容有误',
  401: '身份验证失败，请重新登录',
  403: '没有权限或设备已被停用',
  404: '中心服务器上找不到该资源',
  409: '数据冲突',
  429: '请求过于频繁，请稍后再试',
};

function isApiError(v: unknown): v is ApiError {
  return typeof v === 'object' && v !== null && 'code' in v && 'message' in v;
}

/** Normalises a hub address typed by IT ("192.168.1.5:8787" → "http://192.168.1.5:8787"). */
export function normaliseHubUrl(input: string): string {
  let url = input.trim().replace(/\/+$/, '');
  if (!/^https?:\/\//i.test(url)) url = `http://${url}`;
  const parsed = new URL(url);
  return parsed.origin;
}

/**
 * Citizens' data crosses the county intranet: plain HTTP is only accepted to loopback or
 * when IT explicitly allowed it at enrolment (pilot setups without a certificate).
 */
export function isTransportAllowed(hubUrl: string, allowInsecure: boolean): boolean {
  const u = new URL(hubUrl);
  if (u.protocol === 'https:') return true;
  if (['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return true;
  return allowInsecure;
}

export interface HubRequest {
  method?: 'GET' | 'POST';
  body?: unknown;
  token?: string | null;
  timeoutMs?: number;
}

/**
 * Signs a token with this device's proof (auth/deviceProof.ts). Set by the session store once
 * the device is known: every request with a token then carries the proof, whoever sends it
 * (sync engine, supervisor screens, password change).
 */
type TokenSigner = (token: string) => Promise<string>;
let signToken: TokenSigner | null = null;
export function setTokenSigner(signer: TokenSigner | null): void {
  signToken = signer;
}

export async function hubFetch<T>(baseUrl: string, path: string, req: HubRequest = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  if (req.token) {
    headers.authorization = `Bearer ${req.token}`;
    if (signToken) headers[DEVICE_PROOF_HEADER] = await signToken(req.token);
  }
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), req.timeoutMs ?? 15_000);
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${baseUrl}${path}`, {
      method: req.method ?? 'GET',
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: ctrl.signal,
    });
    // The limit covers the body too: an answer whose headers came and whose body stalls (a
    // village line that dies mid-answer, a proxy holding it) must not hold sync forever.
    text = await res.text();
  } catch {
    throw new HubError('unreachable', '无法连接中心服务器（可能处于离线状态）', 0);
  } finally {
    clearTimeout(timer);
  }
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    if (isApiError(data)) throw new HubError(data.code, data.message, res.status);
    throw new HubError(
      `http_${res.status}`,
      STATUS_TEXT[res.status] ?? `服务器错误（${res.status}）`,
      res.status,
    );
  }
  return data as T;
}
