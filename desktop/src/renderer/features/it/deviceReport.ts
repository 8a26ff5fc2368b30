/**
 * This PC's report for the IT console's device list (版本, 待上传): its app version and how
 * much of its local work the hub has not accepted yet (shared it/deviceReport.ts). Sent on its
 * own request, apart from the sync engine's pushes and pulls, so that a report the hub refuses
 * or a hub without the route never disturbs sync; at most every REPORT_INTERVAL_MS while
 * someone is signed in, the first one shortly after sign-in (after the first sync round has
 * had its chance to upload). Offline, it is skipped until the next turn.
 */
import {
  DEVICE_REPORT_PATH,
  MAX_REPORTED_COUNT,
  REPORT_INTERVAL_MS,
  isReportableVersion,
  type DeviceReport,
} from '@sibantong/shared';
import { getBridge } from '../../../bridge/bridgeApi';
import { signedInFetch } from '../../api/signedInFetch';
import type { DeviceConfig } from '../../auth/deviceConfig';
import { attachmentStoreOf } from '../../db/attachmentsCollection';
import { PENDING_UPLOAD, waitsForUpload } from '../../db/caseQueries';
import type { AppDatabase } from '../../db/database';

/** Wait before the first report: the first sync round usually uploads what is waiting. */
const FIRST_REPORT_MS = 20_000;

const bounded = (n: number) => Math.min(n, MAX_REPORTED_COUNT);

/** What this PC would report now (the status bar's 待上传 count and pending files). */
export async function currentReport(
  db: AppDatabase,
  appVersion: string | null,
): Promise<DeviceReport> {
  const pending = await db.cases.find(PENDING_UPLOAD).exec();
  const report: DeviceReport = { pendingUploads: bounded(pending.filter(waitsForUpload).length) };
  if (appVersion && isReportableVersion(appVersion)) report.appVersion = appVersion;
  const files = attachmentStoreOf(db);
  if (files) {
    const n = await files.attachments.count({ selector: { upload: 'pending' } }).exec();
    report.pendingAttachments = bounded(n);
  }
  return report;
}

/** Sends one report; true when the hub recorded it. */
export async function sendDeviceReport(
  db: AppDatabase,
  cfg: DeviceConfig,
  appVersion: string | null,
): Promise<boolean> {
  const body = await currentReport(db, appVersion);
  const r = await signedInFetch<{ recorded: boolean }>(cfg, DEVICE_REPORT_PATH, {
    method: 'POST',
    body,
  });
  return r.recorded;
}

/** The installed app's version (Electron); null in the browser build used in development. */
async function installedVersion(): Promise<string | null> {
  try {
    return (await getBridge()?.appVersion()) ?? null;
  } catch {
    return null;
  }
}

/** Reports now and then while signed in; returns the function that stops it. */
export function startDeviceReports(
  db: AppDatabase,
  cfg: DeviceConfig,
  opts: { firstMs?: number; everyMs?: number } = {},
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const turn = async () => {
    try {
      await sendDeviceReport(db, cfg, await installedVersion());
    } catch {
      // Offline, signed out or refused: IT's list keeps the last report and its time.
    }
    if (!stopped) timer = setTimeout(() => void turn(), opts.everyMs ?? REPORT_INTERVAL_MS);
  };
  timer = setTimeout(() => void turn(), opts.firstMs ?? FIRST_REPORT_MS);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
