/**
 * The cockpit's hub calls (GET /api/figures…, docs/cockpit.md) and the last figures kept for
 * offline use. Figures are counts, no citizen's data, so the last answer per user and range
 * is kept in localStorage and shown with its "as of" time when the hub cannot be reached.
 */
import type {
  Dimension,
  FigureCasesResponse,
  FigureMetric,
  FiguresResponse,
  Grain,
  SupervisionLedgerResponse,
} from '@sibantong/shared';
import type { DeviceConfig } from '../../auth/deviceConfig';
import { supervisorFetch } from '../supervisor/supervisorApi';

export interface FigureRange {
  from: string;
  to: string;
  grain: Grain;
}

export function fetchFigures(cfg: DeviceConfig, r: FigureRange): Promise<FiguresResponse> {
  const q = new URLSearchParams({ from: r.from, to: r.to, grain: r.grain });
  // A first request after a bulk load may wait for the store to index: a longer timeout.
  return supervisorFetch<FiguresResponse>(cfg, `/api/figures?${q}`, { timeoutMs: 60_000 });
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

export function fetchFigureCases(cfg: DeviceConfig, t: DrillTarget): Promise<FigureCasesResponse> {
  const q = new URLSearchParams({ metric: t.metric, from: t.from, to: t.to, limit: '2000' });
  if (t.dim && t.key !== undefined) {
    q.set('dim', t.dim);
    q.set('key', t.key);
  }
  return supervisorFetch<FigureCasesResponse>(cfg, `/api/figures/cases?${q}`, {
    timeoutMs: 60_000,
  });
}

export function fetchSupervisionLedger(
  cfg: DeviceConfig,
  from: string,
  to: string,
): Promise<SupervisionLedgerResponse> {
  const q = new URLSearchParams({ from, to });
  return supervisorFetch<SupervisionLedgerResponse>(cfg, `/api/figures/supervision?${q}`, {
    timeoutMs: 60_000,
  });
}

const cacheKey = (userId: string) => `sbt.cockpit.${userId}`;

/** The last figures this user read (any range), or null. */
export function lastFigures(userId: string): FiguresResponse | null {
  try {
    const raw = localStorage.getItem(cacheKey(userId));
    return raw ? (JSON.parse(raw) as FiguresResponse) : null;
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
