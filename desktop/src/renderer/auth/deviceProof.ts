import { STREAM_PROOF_PREFIX } from '@sibantong/shared';
import { toBase64 } from '../crypto/secretSealing';
import { deviceSecret, type DeviceConfig } from './deviceConfig';

/**
 * The proof every authenticated request carries that it comes from this enrolled device
 * (protocol: shared/src/sync/authProtocol.ts): HMAC-SHA256 of the access token under
 * SHA-256(device secret). The key is derived once per device and kept non-extractable in
 * memory, so the secret is unsealed once, not per request.
 */
let cached: { deviceId: string; key: Promise<CryptoKey> } | null = null;

function proofKey(cfg: DeviceConfig): Promise<CryptoKey> {
  if (cached?.deviceId !== cfg.deviceId) {
    const key = (async () => {
      const digest = await crypto.subtle.digest(
        'SHA-256',
        new TextEncoder().encode(await deviceSecret(cfg)),
      );
      return crypto.subtle.importKey('raw', digest, { name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
      ]);
    })();
    cached = { deviceId: cfg.deviceId, key };
    key.catch(() => {
      if (cached?.key === key) cached = null;
    });
  }
  return cached.key;
}

function base64url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function deviceProof(
  cfg: DeviceConfig,
  accessToken: string,
  channel: 'header' | 'query' = 'header',
): Promise<string> {
  const message = channel === 'query' ? `${STREAM_PROOF_PREFIX}${accessToken}` : accessToken;
  const sig = await crypto.subtle.sign(
    'HMAC',
    await proofKey(cfg),
    new TextEncoder().encode(message),
  );
  return base64url(new Uint8Array(sig));
}

/** The event stream's URL (EventSource cannot send headers: token and proof go in the query). */
export async function streamUrl(cfg: DeviceConfig, accessToken: string): Promise<string> {
  const proof = await deviceProof(cfg, accessToken, 'query');
  return `${cfg.hubUrl}/api/sync/stream?access_token=${encodeURIComponent(accessToken)}&device_proof=${encodeURIComponent(proof)}`;
}
