/**
 * A PC's latest report (app version, pending uploads: shared it/deviceReport.ts), kept on its
 * device record with the hub time it arrived, for the IT console's device list. A report
 * closer than REPORT_MIN_GAP_MS to the previous one is ignored, so a looping client cannot
 * turn its device record into a write hot spot.
 */
import {
  REPORT_MIN_GAP_MS,
  type DeviceReport,
  type StoredDeviceReport,
} from '@sibantong/shared/it/deviceReport';
import { hubNow } from '../clock.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import { deviceKey, type DeviceDoc } from './authDocs.js';

/** `ignored`: too soon after the previous report (or the record kept changing meanwhile). */
export type ReportOutcome = 'recorded' | 'ignored' | 'unknown_device';

export async function recordDeviceReport(
  store: Store,
  deviceId: string,
  report: DeviceReport,
): Promise<ReportOutcome> {
  const db = store.db<DeviceDoc>('auth');
  // Revocation writes the same record: re-read and retry on a conflict, never overwrite it.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let device: DeviceDoc;
    try {
      device = await withStoreRetry(() => db.get(deviceKey(deviceId)));
    } catch (err) {
      if (statusOf(err) === 404) return 'unknown_device';
      throw err;
    }
    const now = hubNow();
    const gap = device.report ? now.getTime() - Date.parse(device.report.reportedAt) : Infinity;
    // A gap below zero: the hub's clock was set back (a drill); take the report.
    if (gap >= 0 && gap < REPORT_MIN_GAP_MS) return 'ignored';
    const stored: StoredDeviceReport = {
      appVersion: report.appVersion ?? null,
      pendingUploads: report.pendingUploads,
      pendingAttachments: report.pendingAttachments ?? null,
      reportedAt: now.toISOString(),
    };
    try {
      await withStoreRetry(() => db.insert({ ...device, report: stored }));
      return 'recorded';
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }
  return 'ignored';
}
