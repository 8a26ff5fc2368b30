import type { EnrollRequest, EnrollResponse } from '@sibantong/shared';
import { HubError, hubFetch, isTransportAllowed, normaliseHubUrl } from '../api/hubClient';
import { saveEnrolment, type DeviceConfig } from './deviceConfig';

export interface EnrolInput {
  hubAddress: string;
  code: string;
  deviceName: string;
  allowInsecure: boolean;
}

/** Checks the form before anything is sent; returns Chinese messages per field. */
export function validateEnrolInput(input: EnrolInput): Partial<Record<keyof EnrolInput, string>> {
  const errors: Partial<Record<keyof EnrolInput, string>> = {};
  try {
    const url = normaliseHubUrl(input.hubAddress);
    if (!isTransportAllowed(url, input.allowInsecure))
      errors.hubAddress = '非本机地址必须使用 https；试点环境可勾选“允许 http”';
  } catch {
    errors.hubAddress = '请输入正确的中心服务器地址，例如 https://10.1.2.3:8787';
  }
  if (!/^[A-Za-z0-9-]{4,64}$/.test(input.code.trim()))
    errors.code = '请输入信息管理员提供的一次性注册码';
  if (!input.deviceName.trim()) errors.deviceName = '请填写设备名称，例如“大桥村便民服务点电脑”';
  return errors;
}

export async function enrolDevice(input: EnrolInput): Promise<DeviceConfig> {
  const hubUrl = normaliseHubUrl(input.hubAddress);
  const body: EnrollRequest = { code: input.code.trim(), deviceName: input.deviceName.trim() };
  try {
    const res = await hubFetch<EnrollResponse>(hubUrl, '/api/devices/enroll', {
      method: 'POST',
      body,
    });
    return await saveEnrolment(hubUrl, res, input.allowInsecure);
  } catch (e) {
    if (e instanceof HubError && !e.unreachable && e.status < 500)
      throw new HubError(e.code, `注册失败：${e.message}`, e.status);
    throw e;
  }
}
