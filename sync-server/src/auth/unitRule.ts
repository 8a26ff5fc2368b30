/**
 * Which users an enrolled device accepts. A PC is enrolled for one unit (a village service
 * point, a town centre, the county centre, a department) and lets in that unit's users only.
 * Staff who serve at other units' PCs (a town lead covering a village, the supervisor on a
 * visit) are given those units explicitly, per user, by IT (`user roam`): nothing is implied
 * by rank or by the org tree, so a leaked town or county password cannot be tried at every PC.
 */
import type { DeviceDoc, UserDoc } from './authDocs.js';

export function deviceAcceptsUser(
  device: Pick<DeviceDoc, 'orgUnitId'>,
  user: Pick<UserDoc, 'orgUnitId' | 'roamingUnitIds'>,
): boolean {
  if (user.orgUnitId === device.orgUnitId) return true;
  return (user.roamingUnitIds ?? []).includes(device.orgUnitId);
}

export const UNIT_NOT_ALLOWED_MESSAGE =
  '本机登记在其他单位，该账号不能在本机登录。请使用本单位的电脑，或请信息管理员为该账号开通在本单位登录（user roam）';
