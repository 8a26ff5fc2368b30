import type { HealthResponse } from '@sibantong/shared';
import { HubError, hubFetch, isTransportAllowed, normaliseHubUrl } from '../../api/hubClient';
import { saveDeviceConfig, type DeviceConfig } from '../../auth/deviceConfig';

/**
 * Checks a new hub address as enrolment does: a valid URL, https unless it is this PC
 * (loopback) or IT allowed plain http for a pilot when enrolling this device. Returns the
 * normalised origin, or the Chinese reason it cannot be used.
 */
export function checkHubAddress(
  input: string,
  cfg: Pick<DeviceConfig, 'hubUrl' | 'allowInsecure'>,
): { ok: true; url: string } | { ok: false; message: string } {
  let url: string;
  try {
    url = normaliseHubUrl(input);
  } catch {
    return {
      ok: false,
      message: '请输入正确的中心服务器地址，例如 https://hub.example.gov.cn:8787',
    };
  }
  if (!isTransportAllowed(url, cfg.allowInsecure))
    return {
      ok: false,
      message: '非本机地址必须使用 https（本设备登记时未允许试点用的 http）',
    };
  if (url === cfg.hubUrl) return { ok: false, message: '与当前地址相同，无需修改' };
  return { ok: true, url };
}

/** Asks the new address whether a hub answers there, before anything is changed. */
export async function probeHub(url: string): Promise<string | null> {
  try {
    await hubFetch<HealthResponse>(url, '/api/health');
    return null;
  } catch (e) {
    if (e instanceof HubError && e.unreachable)
      return '无法连接该地址的中心服务器，请核对地址、端口和网络后再试；地址未修改';
    return `该地址没有正常应答（${e instanceof Error ? e.message : String(e)}）；地址未修改`;
  }
}

/** Stores the new address; the device id, its sealed secret and all local data stay as they are. */
export function saveHubAddress(cfg: DeviceConfig, url: string): DeviceConfig {
  const next: DeviceConfig = { ...cfg, hubUrl: url };
  saveDeviceConfig(next);
  return next;
}
