import type { FastifyRequest } from 'fastify';
import { DEVICE_PROOF_HEADER, DEVICE_PROOF_QUERY } from '@sibantong/shared';
import type { AuthContext, AuthService, Credentials } from '../auth/session.js';
import { unauthorized } from './apiError.js';

/** Bearer token from the header, or `?access_token=` (EventSource cannot set headers). */
export function bearerOf(request: FastifyRequest, allowQuery: boolean): string | undefined {
  return credentialsOf(request, allowQuery).token;
}

/**
 * The request's token and device proof. Header credentials are the rule; the query form is
 * only accepted where the caller allows it (the event stream), and its proof is bound to
 * that use (docs/security-model.md).
 */
export function credentialsOf(request: FastifyRequest, allowQuery: boolean): Credentials {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthorized('TOKEN_INVALID', '登录凭证格式无效');
    const proof = request.headers[DEVICE_PROOF_HEADER];
    return { token: m[1], proof: typeof proof === 'string' ? proof : undefined, channel: 'header' };
  }
  if (allowQuery) {
    const q = request.query as Record<string, unknown> | undefined;
    const t = q?.access_token;
    const p = q?.[DEVICE_PROOF_QUERY];
    if (typeof t === 'string' && t) {
      return { token: t, proof: typeof p === 'string' ? p : undefined, channel: 'query' };
    }
  }
  return { token: undefined, proof: undefined, channel: 'header' };
}

export async function requireAuth(
  auth: AuthService,
  request: FastifyRequest,
  allowQuery = false,
): Promise<AuthContext> {
  return auth.authenticate(credentialsOf(request, allowQuery));
}
