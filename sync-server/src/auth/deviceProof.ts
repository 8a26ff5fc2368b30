/**
 * Proof that a request comes from the enrolled device holding the token (protocol in
 * shared/src/sync/authProtocol.ts). The hub keeps only SHA-256 of the device secret, and that
 * digest is the HMAC key: the secret itself never travels after enrolment except at login
 * and refresh, and a copied access token is useless without it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { STREAM_PROOF_PREFIX } from '@sibantong/shared';

export type ProofChannel = 'header' | 'query';

export function deviceProofFor(
  secretDigestHex: string,
  accessToken: string,
  channel: ProofChannel,
): string {
  const message = channel === 'query' ? `${STREAM_PROOF_PREFIX}${accessToken}` : accessToken;
  return createHmac('sha256', Buffer.from(secretDigestHex, 'hex'))
    .update(message)
    .digest('base64url');
}

export function deviceProofValid(
  secretDigestHex: string,
  accessToken: string,
  channel: ProofChannel,
  given: string,
): boolean {
  const expected = Buffer.from(deviceProofFor(secretDigestHex, accessToken, channel));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
