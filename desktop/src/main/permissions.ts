/** Permission requests (camera, notifications, geolocation, USB, …) are denied by default. */
import type { Session } from 'electron';
import { isAppUrl } from './origin';

/** Permissions the app page may use; everything else, and every other origin, is refused. */
// Notifications: a case arriving at the unit or a result coming back is announced by the OS too.
// Media: the camera, to photograph a material when no scanner is at hand (docs/materials.md).
export const ALLOWED_PERMISSIONS: readonly string[] = [
  'clipboard-sanitized-write',
  'notifications',
  'media',
];

export function isAllowedPermission(
  permission: string,
  requestingUrl: string | undefined,
): boolean {
  return ALLOWED_PERMISSIONS.includes(permission) && isAppUrl(requestingUrl ?? '');
}

export function installPermissionPolicy(
  session: Session,
  log: { warn(m: string, meta?: Record<string, unknown>): void },
): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    // The camera only: a material is photographed, never recorded with sound.
    const audio =
      permission === 'media' &&
      ((details as { mediaTypes?: string[] }).mediaTypes ?? []).includes('audio');
    const ok = isAllowedPermission(permission, details.requestingUrl) && !audio;
    if (!ok) log.warn('permission refused', { permission, url: details.requestingUrl });
    callback(ok);
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    isAllowedPermission(permission, requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-serial-port', (event, _ports, _wc, callback) => {
    event.preventDefault();
    callback('');
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
}
