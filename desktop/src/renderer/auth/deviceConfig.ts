import type { EnrollResponse } from '@sibantong/shared';
import { sealSecret, unsealSecret } from '../crypto/secretSealing';

/** What the device keeps about its enrolment. The device secret is stored sealed. */
export interface DeviceConfig {
  hubUrl: string;
  hubName: string;
  deviceId: string;
  orgUnitId: string;
  deviceSecretSealed: string;
  allowInsecure: boolean;
  enrolledAt: string;
}

const KEY = 'sibantong.device';

export function loadDeviceConfig(): DeviceConfig | null {
  const raw = localStorage.getItem(KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as DeviceConfig;
  } catch {
    return null;
  }
}

/** The configuration a hub's enrolment answer gives this PC; the device secret sealed at once. */
export async function deviceConfigFrom(
  hubUrl: string,
  res: EnrollResponse,
  allowInsecure: boolean,
): Promise<DeviceConfig> {
  return {
    hubUrl,
    hubName: res.hubName,
    deviceId: res.deviceId,
    orgUnitId: res.orgUnitId,
    deviceSecretSealed: await sealSecret(res.deviceSecret),
    allowInsecure,
    enrolledAt: new Date().toISOString(),
  };
}

export async function saveEnrolment(
  hubUrl: string,
  res: EnrollResponse,
  allowInsecure: boolean,
): Promise<DeviceConfig> {
  const cfg = await deviceConfigFrom(hubUrl, res, allowInsecure);
  localStorage.setItem(KEY, JSON.stringify(cfg));
  return cfg;
}

/** Stores a changed configuration (e.g. a new hub address); the sealed secret is kept as it is. */
export function saveDeviceConfig(cfg: DeviceConfig): void {
  localStorage.setItem(KEY, JSON.stringify(cfg));
}

export function deviceSecret(cfg: DeviceConfig): Promise<string> {
  return unsealSecret(cfg.deviceSecretSealed);
}

export function clearDeviceConfig(): void {
  localStorage.removeItem(KEY);
}
