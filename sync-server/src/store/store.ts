/**
 * One interface over the two stores. Both are reached through nano over HTTP, so every
 * request the hub makes is a CouchDB request whichever store runs underneath.
 */
import type { DocumentScope, ServerScope } from 'nano';

export type StoreKind = 'embedded' | 'couchdb';

export const DB_KEYS = [
  'cases',
  'matters',
  'orgUnits',
  'calendars',
  'tickets',
  'supervision',
  'refusals',
  'auth',
  'hub',
] as const;
export type DbKey = (typeof DB_KEYS)[number];

const DB_SUFFIX: Readonly<Record<DbKey, string>> = {
  cases: 'cases',
  matters: 'matters',
  orgUnits: 'org_units',
  calendars: 'calendars',
  tickets: 'tickets',
  supervision: 'supervision',
  refusals: 'refusals',
  auth: 'auth',
  hub: 'hub',
};

export function dbName(prefix: string, key: DbKey): string {
  return `${prefix}${DB_SUFFIX[key]}`;
}

export interface Store {
  readonly kind: StoreKind;
  readonly prefix: string;
  /** Current connection (the embedded store may come back on a new port after a restart). */
  server(): ServerScope;
  db<D extends object = Record<string, unknown>>(key: DbKey): DocumentScope<D>;
  /** Base URL with credentials, for raw requests (changes feeds). */
  baseUrl(): string;
  version(): Promise<string>;
  /** Resolves once the store answers, or rejects after `timeoutMs`. */
  waitReady(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** True when an error means "the store is not reachable right now" rather than a refusal. */
export function isStoreDown(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; cause?: unknown; message?: unknown; statusCode?: unknown };
  const codes = [
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'UND_ERR_SOCKET',
    'EHOSTUNREACH',
  ];
  if (typeof e.code === 'string' && codes.includes(e.code)) return true;
  if (e.cause && isStoreDown(e.cause)) return true;
  if (
    typeof e.message === 'string' &&
    /fetch failed|socket hang up|other side closed|ECONNREFUSED|ECONNRESET|EPIPE/i.test(e.message)
  ) {
    return true;
  }
  return e.statusCode === 502 || e.statusCode === 503;
}

/** HTTP status of a nano error, if it carries one. */
export function statusOf(err: unknown): number | undefined {
  if (err && typeof err === 'object' && 'statusCode' in err) {
    const s = (err as { statusCode?: unknown }).statusCode;
    return typeof s === 'number' ? s : undefined;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn`, retrying while the store is down (the embedded store restarts in about a second).
 * Safe only for idempotent operations — every write the hub makes is (event-id union merges,
 * deterministic ids for tickets and records).
 */
export async function withStoreRetry<T>(fn: () => Promise<T>, budgetMs = 15_000): Promise<T> {
  const start = Date.now();
  let delay = 100;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isStoreDown(err) || Date.now() - start > budgetMs) throw err;
      await sleep(delay);
      delay = Math.min(delay * 2, 1000);
    }
  }
}
