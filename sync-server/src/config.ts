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
  /**
   * Reverse proxies whose `X-Forwarded-For` the hub believes (IPs or CIDRs, HUB_TRUSTED_PROXIES).
   * Empty: the client address is the TCP peer. Throttles key on this address, so behind a proxy
   * IT must list it, or every PC of the county shares the proxy's one address.
   */
  trustedProxies: string[];
}

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6 = /^[0-9a-f:]+(\/\d{1,3})?$/i;

/** Parses HUB_TRUSTED_PROXIES: comma-separated addresses or CIDR ranges, refused when malformed. */
export function parseTrustedProxies(value: string | undefined): string[] {
  if (!value || !value.trim()) return [];
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of list) {
    if (!IPV4.test(entry) && !(entry.includes(':') && IPV6.test(entry))) {
      throw new Error(
        `HUB_TRUSTED_PROXIES 中的地址无效：${entry}（应为 IP 或 CIDR，如 10.0.0.5 或 10.0.0.0/24）`,
      );
    }
  }
  return list;
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
    trustedProxies: parseTrustedProxies(env.HUB_TRUSTED_PROXIES),
  };
}
