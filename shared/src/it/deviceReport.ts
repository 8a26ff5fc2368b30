/**
 * A PC's report to the hub for the IT console's device list: its app version and how much of
 * its local work the hub has not accepted yet. Sent by the desktop on its own (at most every
 * REPORT_INTERVAL_MS while someone is signed in), apart from the sync requests, so a report
 * the hub refuses never holds up sync. The hub validates the body with this schema and keeps
 * the latest report on the device's record, with the time it arrived.
 */

export const DEVICE_REPORT_PATH = '/api/devices/report';

/** How often a signed-in desktop reports (the hub ignores reports much closer together). */
export const REPORT_INTERVAL_MS = 5 * 60_000;
/** The hub keeps at most one report a device in this time (a looping PC cannot flood it). */
export const REPORT_MIN_GAP_MS = 30_000;

/** Above any real backlog of one PC; a bigger number is a broken client, refused. */
export const MAX_REPORTED_COUNT = 1_000_000;

/** An app version as electron-builder writes it (semver, maybe with a pre-release tag). */
export const APP_VERSION_PATTERN =
  '^[0-9]{1,6}\\.[0-9]{1,6}\\.[0-9]{1,6}([-+][0-9A-Za-z.-]{1,40})?$';

/** A version the hub takes (a PC with another one still reports, without it). */
export function isReportableVersion(v: string): boolean {
  return v.length >= 5 && v.length <= 60 && new RegExp(APP_VERSION_PATTERN).test(v);
}

export interface DeviceReport {
  /** Absent when the PC does not know it (the browser build used in development). */
  appVersion?: string;
  /** Cases holding an event the hub has not stamped (what the status bar calls 待上传). */
  pendingUploads: number;
  /** Attached files not uploaded yet (absent when the PC has no attachment store). */
  pendingAttachments?: number;
}

const reportedCount = { type: 'integer', minimum: 0, maximum: MAX_REPORTED_COUNT } as const;

export const deviceReportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['pendingUploads'],
  properties: {
    appVersion: { type: 'string', minLength: 5, maxLength: 60, pattern: APP_VERSION_PATTERN },
    pendingUploads: reportedCount,
    pendingAttachments: reportedCount,
  },
} as const;

/** What the hub keeps of a device's latest report (on the device's record). */
export interface StoredDeviceReport {
  appVersion: string | null;
  pendingUploads: number;
  pendingAttachments: number | null;
  /** Hub time the report arrived. */
  reportedAt: string;
}
