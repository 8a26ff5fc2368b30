/**
 * The device part of provisional case numbers. Uniqueness within a county comes from the hub:
 * it assigns each device a short code at enrolment (allocateDeviceShort) and never hands the
 * same code to two devices. deviceShortFromId is only a fallback for a device not yet
 * enrolled; as a 20-bit hash it can collide (about 1 in 9 for 500 devices), so it must not
 * be relied on for uniqueness.
 */
import { DomainError } from '../errors/domainError.js';
import { toCrockford } from './crockfordBase32.js';

export const DEVICE_SHORT_LENGTH = 4;
const DEVICE_SHORT_SPACE = 32 ** DEVICE_SHORT_LENGTH;
export const DEVICE_SHORT_PATTERN = /^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}$/;

/** 32-bit FNV-1a over UTF-16 code units: small, stable across platforms, no crypto needed. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A 4-character Crockford code derived from the device id (fallback, may collide). */
export function deviceShortFromId(deviceId: string): string {
  return toCrockford(fnv1a(deviceId) % DEVICE_SHORT_SPACE, DEVICE_SHORT_LENGTH);
}

export function isDeviceShort(s: string): boolean {
  return DEVICE_SHORT_PATTERN.test(s);
}

/**
 * The hub's choice at enrolment: the hashed code if free, else the next free code after it.
 * Deterministic, so re-enrolling the same device with the same taken set gives the same code.
 */
export function allocateDeviceShort(deviceId: string, taken: ReadonlySet<string>): string {
  if (taken.size >= DEVICE_SHORT_SPACE) {
    throw new DomainError('DEVICE_SHORT_EXHAUSTED', '设备短码已全部分配，无法再登记新设备');
  }
  const start = fnv1a(deviceId) % DEVICE_SHORT_SPACE;
  for (let i = 0; i < DEVICE_SHORT_SPACE; i += 1) {
    const candidate = toCrockford((start + i) % DEVICE_SHORT_SPACE, DEVICE_SHORT_LENGTH);
    if (!taken.has(candidate)) return candidate;
  }
  throw new DomainError('DEVICE_SHORT_EXHAUSTED', '设备短码已全部分配，无法再登记新设备');
}
