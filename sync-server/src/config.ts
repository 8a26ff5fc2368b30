/** Hub configuration from the environment, with the defaults documented in docs/hub.md. */
import path from 'node:path';

export interface HubConfig {
  port: number;
  host: string;
  dataDir: string;
  couchUrl: string | null;
  dbPrefix: string;
  tlsCert: string | null;
  tlsKey: string | null;
  hubName: string;
  /** Test/drill only: lets an it_admin shift the hub clock through the admin API. */
  testMode: boolean;
  /** How often the deadline scan runs (ms). */
  warningIntervalMs: number;
}

function intFromEnv(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a non-negative integer: ${value}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const prefix = env.HUB_DB_PREFIX ?? 'sbt_';
  if (!/^[a-z][a-z0-9_]*$/.test(prefix)) {
    throw new Error('HUB_DB_PREFIX must start with a-z and contain only a-z, 0-9 and _');
  }
  return {
    port: intFromEnv(env.HUB_PORT, 8787),
    host: env.HUB_HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.HUB_DATA_DIR ?? './.hub-data'),
    couchUrl: env.COUCHDB_URL ? env.COUCHDB_URL : null,
    dbPrefix: prefix,
    tlsCert: env.HUB_TLS_CERT ?? null,
    tlsKey: env.HUB_TLS_KEY ?? null,
    hubName: env.HUB_NAME ?? '四办通县级枢纽',
    testMode: env.HUB_TEST_MODE === '1',
    warningIntervalMs: intFromEnv(env.HUB_WARNING_INTERVAL_MS, 60_000),
  };
}
