/**
 * Every authenticated hub request carries the device proof of the token's device
 * (docs/security-model.md): remember each token's device secret at login, sign with it.
 */
import { createHash, createHmac } from 'node:crypto';
import { DEVICE_PROOF_HEADER } from '@sibantong/shared';

const secretOfToken = new Map<string, string>();

export function rememberTokenDevice(token: string, deviceSecret: string): void {
  secretOfToken.set(token, deviceSecret);
}

/** `authorization` and the device proof for `token`. */
export function authHeaders(token: string): Record<string, string> {
  const secret = secretOfToken.get(token);
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (secret) {
    const key = createHash('sha256').update(secret).digest();
    headers[DEVICE_PROOF_HEADER] = createHmac('sha256', key).update(token).digest('base64url');
  }
  return headers;
}
