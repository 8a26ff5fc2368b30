import type { FastifyRequest } from 'fastify';
import type { AuthContext, AuthService } from '../auth/session.js';
import { unauthorized } from './apiError.js';

/** Bearer token from the header, or `?access_token=` (EventSource cannot set headers). */
export function bearerOf(request: FastifyRequest, allowQuery: boolean): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthorized('TOKEN_INVALID', '登录凭证格式无效');
    return m[1];
  }
  if (allowQuery) {
    const q = request.query as Record<string, unknown> | undefined;
    const t = q?.access_token;
    if (typeof t === 'string' && t) return t;
  }
  return undefined;
}

export async function requireAuth(
  auth: AuthService,
  request: FastifyRequest,
  allowQuery = false,
): Promise<AuthContext> {
  return auth.authenticate(bearerOf(request, allowQuery));
}
