/**
 * The cockpit's hub calls (GET /api/figures…, docs/cockpit.md) and the last figures kept for
 * offline use. Figures are counts, no citizen's data, so the last answer per user and range
 * is kept in localStorage and shown with its "as of" time when the hub cannot be reached.
 */
import {
  validateFigureCasesResponse,
  validateFiguresResponse,
  validateSupervisionLedgerResponse,
  type Dimension,
  type FigureCasesResponse,
  type FigureMetric,
  type FiguresResponse,
  type Grain,
  type Result,
  type SupervisionLedgerResponse,
} from '@sibantong/shared';
import { HubError } from '../../api/hubClient';
import type { DeviceConfig } from '../../auth/deviceConfig';
import { supervisorFetch } from '../supervisor/supervisorApi';

/** Stable code for an answer the shared schema refuses (another hub version, a proxy page). */
export const FIGURES_ANSWER_INVALID = 'FIGURES_ANSWER_INVALID';

/** The hub's answer as the shared schema admits it, or a clear error; nothing shown half-read. */
function checked<T>(check: (v: unknown) => Result<T>, body: unknown): T {
  const v = check(body);
  if (v.ok) return v.value;
  throw new HubError(
    FIGURES_ANSWER_INVALID,
    `中心服务器返回的统计数据无法识别（${v.messageZh}），请联系信息科确认服务器版本`,
    200,
  );
}

export interface FigureRange {
  from: string;
  to: string;
  grain: Grain;
}

export async function fetchFigures(cfg: DeviceConfig, r: FigureRange): Promise<FiguresResponse> {
  const q = new URLSearchParams({ from: r.from, to: r.to, grain: r.grain });
  // A first request after a bulk load may wait for the store to index: a longer timeout.
  const body = await supervisorFetch<unknown>(cfg, `/api/figures?${q}`, { timeoutMs: 60_000 });
  return checked(validateFiguresResponse, body);
}

export interface DrillTarget {
  metric: FigureMetric;
  from: string;
  to: string;
  dim?: Dimension;
  key?: string;
  /** What the user clicked, e.g. 东桥镇 · 超期在办. */
  title: string;
}

export async function fetchFigureCases(
  cfg: DeviceConfig,
  t: DrillTarget,
): Promise<FigureCasesResponse> {
  const q = new URLSearchParams({ metric: t.metric, from: t.from, to: t.to, limit: '2000' });
  if (t.dim && t.key !== undefined) {
    q.set('dim', t.dim);
    q.set('key', t.key);
  }
  const body = await supervisorFetch<unknown>(cfg, `/api/figures/cases?${q}`, {
    timeoutMs: 60_000,
  });
  return checked(validateFigureCasesResponse, body);
}

export async function fetchSupervisionLedger(
  cfg: DeviceConfig,
  from: string,
  to: string,
): Promise<SupervisionLedgerResponse> {
  const q = new URLSearchParams({ from, to });
  const body = await supervisorFetch<unknown>(cfg, `/api/figures/supervision?${q}`, {
    timeoutMs: 60_000,
  });
  return checked(validateSupervisionLedgerResponse, body);
}

const cacheKey = (userId: string) => `sbt.cockpit.${userId}`;

/** The last figures this user read (any range), or null. */
export function lastFigures(userId: string): FiguresResponse | null {
  try {
    const raw = localStorage.getItem(cacheKey(userId));
    if (!raw) return null;
    // A kept copy from an older version (or edited by hand) is dropped, not shown half-read.
    const kept = validateFiguresResponse(JSON.parse(raw));
    return kept.ok ? kept.value : null;
  } catch {
    return null;
  }
}

export function keepFigures(userId: string, f: FiguresResponse): void {
  try {
    localStorage.setItem(cacheKey(userId), JSON.stringify(f));
  } catch {
    // storage full or unavailable: the cockpit still works online
  }
}
