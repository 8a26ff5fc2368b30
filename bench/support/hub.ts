/**
 * The real hub for the benchmarks: `node --import tsx sync-server/src/cli/main.ts serve` on a
 * free loopback port and a temporary data folder, with its embedded store or, given a CouchDB
 * URL, on that CouchDB (`COUCHDB_URL`, a database prefix of its own). A second hub process on
 * the same CouchDB shares the first one's data folder (its key ring) and prefix. Set-up steps that
 * are not being measured (users, enrolment codes, bulk seeding) use the hub's own modules
 * in-process against the store, which is what its CLI does, only without one process per call.
 *
 * Everything started here stops in `stop()`; the store child exits with its hub.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnrollResponse, LoginResponse, OrgUnit, Role } from '@sibantong/shared';
import { AttachedEmbeddedStore, EmbeddedStore } from '../../sync-server/src/store/embeddedStore.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { CouchStore } from '../../sync-server/src/store/couchStore.ts';
import { nextPrefix, splitCredentials } from './couch.ts';
import { createEnrolmentCode } from '../../sync-server/src/auth/devices.ts';
import { addUser } from '../../sync-server/src/auth/users.ts';
import { CHECKPOINT_ID } from '../../sync-server/src/workflow/workflowDocs.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HUB_DIR = path.join(ROOT, 'sync-server');
const MAIN = path.join(HUB_DIR, 'src/cli/main.ts');
const PREFIX = 'sbt_';

export interface StoreAccess {
  /** Base URL without credentials. */
  url: string;
  user: string;
  password: string;
  casesDb: string;
}

export interface BenchHub {
  readonly url: string;
  readonly dataDir: string;
  readonly couchUrl: string | null;
  readonly prefix: string;
  pid(): number;
  storePid(): number;
  store(): StoreAccess;
  /** Hub's own store client (attached to the running hub's store, or the same CouchDB). */
  attached(): Store;
  /**
   * The store with the hub stopped (embedded: started here; CouchDB: a client), for seeding.
   * `close()` stops what was started.
   */
  offline(log: (m: string) => void): Promise<{ store: Store; close(): Promise<void> }>;
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(opts?: { keepData?: boolean }): Promise<void>;
  /** Stops and starts the hub process; `env` is added to its environment from now on. */
  restart(env?: Record<string, string>): Promise<void>;
}

/** Hubs still running: killed if this process exits early (watchdog, crash). */
const LIVE = new Set<ChildProcess>();
const DATA_DIRS = new Set<string>();
process.on('exit', () => {
  for (const p of LIVE) p.kill('SIGKILL');
  for (const d of DATA_DIRS) rmSync(d, { recursive: true, force: true });
});

function exited(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
}

/** What the harness sets itself: not for `BENCH_HUB_ENV` to change. */
const HARNESS_SETS = ['HUB_PORT', 'HUB_HOST', 'HUB_DATA_DIR', 'HUB_DB_PREFIX'];

/**
 * Hub settings to measure against their defaults without editing code: `BENCH_HUB_ENV` as
 * `HUB_A=1,HUB_B=2` (docs/hub.md lists them). Only `HUB_*` names; a run given any is partial
 * (run.ts), so a report always shows the product as shipped.
 */
export function benchHubSettings(raw = process.env.BENCH_HUB_ENV ?? ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq) : '';
    if (!/^HUB_[A-Z0-9_]+$/.test(name) || HARNESS_SETS.includes(name))
      throw new Error(`BENCH_HUB_ENV: "${part}" is not NAME=value with a hub setting (HUB_…)`);
    out[name] = part.slice(eq + 1);
  }
  return out;
}

function hubEnv(dataDir: string, prefix: string, couchUrl: string | null): Record<string, string> {
  return {
    ...benchHubSettings(),
    ...(couchUrl ? { COUCHDB_URL: couchUrl } : {}),
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    HUB_PORT: '0',
    HUB_HOST: '127.0.0.1',
    HUB_DATA_DIR: dataDir,
    HUB_DB_PREFIX: prefix,
    HUB_WARNING_INTERVAL_MS: '3600000',
    NODE_ENV: 'production',
  };
}

export interface HubOptions {
  /** Run on this CouchDB (URL with credentials) instead of the embedded store. */
  couchUrl?: string | null;
  /** A second hub on the same CouchDB: the first one's data folder and prefix. */
  sibling?: BenchHub;
  /**
   * How long a start may take (default 90 s). A start brings the store's Mango indexes up to
   * date before the hub listens (provision's createIndex): after a bulk load of a million
   * cases, minutes.
   */
  startTimeoutMs?: number;
}

export async function startHub(
  log: (m: string) => void = () => undefined,
  opts: HubOptions = {},
): Promise<BenchHub> {
  const couchUrl = opts.sibling ? opts.sibling.couchUrl : (opts.couchUrl ?? null);
  const dataDir = opts.sibling?.dataDir ?? mkdtempSync(path.join(tmpdir(), 'sbt-bench-hub-'));
  const prefix = opts.sibling?.prefix ?? (couchUrl ? nextPrefix() : PREFIX);
  // BENCH_KEEP_DATA=1 keeps the data folder for a look afterwards (profiles, re-runs).
  if (!opts.sibling && process.env.BENCH_KEEP_DATA !== '1') DATA_DIRS.add(dataDir);
  if (process.env.BENCH_KEEP_DATA === '1') log(`hub data kept in ${dataDir}`);
  const env = hubEnv(dataDir, prefix, couchUrl);
  let proc: ChildProcess | null = null;
  let url = '';

  const launch = async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
      cwd: HUB_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc = child;
    LIVE.add(child);
    child.once('exit', () => LIVE.delete(child));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (process.env.BENCH_HUB_STDERR) process.stderr.write(d);
      if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const limit = opts.startTimeoutMs ?? 90_000;
      const timer = setTimeout(
        () => reject(new Error(`hub did not start in ${limit / 1000} s: ${stderr}`)),
        limit,
      );
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{"event":"listening"'));
        if (line) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`hub exited (${code}): ${stderr}`));
      });
    });
    log(`hub listening at ${url} (pid ${child.pid})`);
  };
  await launch();

  const endpoint = () =>
    JSON.parse(readFileSync(path.join(dataDir, 'store', 'endpoint.json'), 'utf8')) as {
      port: number;
      pid: number;
    };
  const secret = () =>
    JSON.parse(readFileSync(path.join(dataDir, 'secrets', 'store-admin.json'), 'utf8')) as {
      user: string;
      secret: string;
    };

  const stopProcess = async () => {
    const p = proc as ChildProcess | null;
    if (!p) return;
    let storePid = 0;
    try {
      storePid = couchUrl ? 0 : endpoint().pid;
    } catch {
      storePid = 0;
    }
    if (p.exitCode === null && p.signalCode === null) {
      p.kill('SIGTERM');
      const t = setTimeout(() => p.kill('SIGKILL'), 8000);
      await exited(p);
      clearTimeout(t);
    }
    // The store child leaves with its hub; make sure before the folder is reused or removed.
    for (let i = 0; storePid && i < 50; i += 1) {
      try {
        process.kill(storePid, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
      if (i === 49) process.kill(storePid, 'SIGKILL');
    }
    proc = null;
  };

  return {
    get url() {
      return url;
    },
    dataDir,
    couchUrl,
    prefix,
    pid: () => (proc as ChildProcess | null)?.pid ?? 0,
    storePid: () => (couchUrl ? 0 : endpoint().pid),
    store: () => {
      if (couchUrl) return { ...splitCredentials(couchUrl), casesDb: `${prefix}cases` };
      const s = secret();
      return {
        url: `http://127.0.0.1:${endpoint().port}`,
        user: s.user,
        password: s.secret,
        casesDb: `${prefix}cases`,
      };
    },
    attached: () =>
      couchUrl
        ? new CouchStore(couchUrl, prefix)
        : new AttachedEmbeddedStore(dataDir, endpoint().port, prefix),
    async offline(logTo) {
      if (couchUrl)
        return { store: new CouchStore(couchUrl, prefix), close: async () => undefined };
      const store = new EmbeddedStore(dataDir, prefix, logTo);
      await store.start();
      await store.waitReady(15_000);
      return { store, close: () => store.close() };
    },
    cli: (args) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args, '--json'], {
          cwd: HUB_DIR,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code: code ?? 1, stdout, stderr });
        });
      }),
    async stop(stopOpts = {}) {
      await stopProcess();
      if (!stopOpts.keepData && !opts.sibling && process.env.BENCH_KEEP_DATA !== '1') {
        rmSync(dataDir, { recursive: true, force: true });
        DATA_DIRS.delete(dataDir);
      }
    },
    async restart(extra) {
      await stopProcess();
      if (extra) Object.assign(env, extra);
      await launch();
    },
  };
}

/** Device secrets of the tokens obtained by login(): every request carries its device proof. */
const secretOfToken = new Map<string, string>();

/** The device proof of `token` (docs/security-model.md); `stream` for the event-stream URL. */
export function deviceProof(token: string, channel: 'header' | 'stream' = 'header'): string {
  const secret = secretOfToken.get(token);
  if (!secret) return '';
  const key = createHash('sha256').update(secret).digest();
  return createHmac('sha256', key)
    .update(channel === 'stream' ? `stream:${token}` : token)
    .digest('base64url');
}

export async function http<T>(
  url: string,
  init: { token?: string; body?: unknown; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (init.token) {
    headers.authorization = `Bearer ${init.token}`;
    headers['x-sbt-device-proof'] = deviceProof(init.token);
  }
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal
      ? AbortSignal.any([init.signal, AbortSignal.timeout(init.timeoutMs ?? 120_000)])
      : AbortSignal.timeout(init.timeoutMs ?? 120_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** Extra towns and villages so a 500-device county has realistic 1–3 devices per village. */
export function extraUnits(villages: number): OrgUnit[] {
  const perTown = 25;
  const units: OrgUnit[] = [];
  const towns = Math.ceil(villages / perTown);
  for (let t = 1; t <= towns; t += 1) {
    const tt = String(t).padStart(2, '0');
    units.push({
      id: `town-b${tt}`,
      name: `第${t}镇`,
      level: 'town',
      parentId: 'county-sx',
      pointCode: `B${tt}`,
    });
    for (let v = 1; v <= perTown && (t - 1) * perTown + v <= villages; v += 1) {
      const vv = String(v).padStart(2, '0');
      units.push({
        id: `village-b${tt}-${vv}`,
        name: `第${t}镇${v}村`,
        level: 'village',
        parentId: `town-b${tt}`,
        pointCode: `B${tt}${vv}`,
      });
    }
  }
  return units;
}

export async function seedDemo(hub: BenchHub): Promise<void> {
  const out = await hub.cli(['seed-demo']);
  if (out.code !== 0) throw new Error(`seed-demo failed: ${out.stderr}`);
}

/** Adds org units (idempotent) through the store, as `seed-demo` does. */
export async function addUnits(store: Store, units: OrgUnit[]): Promise<void> {
  const db = store.db('orgUnits');
  for (let i = 0; i < units.length; i += 500) {
    await db.bulk({ docs: units.slice(i, i + 500).map((u) => ({ _id: u.id, ...u })) });
  }
}

export async function addUsers(
  store: Store,
  users: Array<{ username: string; name: string; role: Role; orgUnitId: string }>,
  password: string,
): Promise<void> {
  for (const u of users) await addUser(store, { ...u, password }, { skipPolicy: true });
}

/** Enrols devices for a unit: a code from the hub's own module, then the public endpoint. */
export async function enrolDevices(
  hub: { url: string },
  store: Store,
  unit: string,
  n: number,
): Promise<EnrollResponse[]> {
  const out: EnrollResponse[] = [];
  for (let i = 0; i < n; i += 1) {
    const { code } = await createEnrolmentCode(store, unit);
    const r = await http<EnrollResponse>(`${hub.url}/api/devices/enroll`, {
      body: { code, deviceName: `bench-${unit}-${i}` },
    });
    if (r.status !== 200) throw new Error(`enroll ${unit}: ${r.status} ${JSON.stringify(r.body)}`);
    out.push(r.body);
  }
  return out;
}

/** A new access token for a session, as the renderer's refresh does (sessionStore.ts). */
export async function refreshSession(
  hubUrl: string,
  device: EnrollResponse,
  session: LoginResponse,
): Promise<LoginResponse> {
  const r = await http<LoginResponse>(`${hubUrl}/api/auth/refresh`, {
    body: {
      refreshToken: session.refreshToken,
      deviceId: device.deviceId,
      deviceSecret: device.deviceSecret,
    },
  });
  if (r.status !== 200) throw new Error(`refresh: ${r.status} ${JSON.stringify(r.body)}`);
  secretOfToken.set(r.body.accessToken, device.deviceSecret);
  return r.body;
}

export async function login(
  hub: { url: string },
  device: EnrollResponse,
  username: string,
  password: string,
): Promise<LoginResponse> {
  const r = await http<LoginResponse>(`${hub.url}/api/auth/login`, {
    body: { username, password, deviceId: device.deviceId, deviceSecret: device.deviceSecret },
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  secretOfToken.set(r.body.accessToken, device.deviceSecret);
  return r.body;
}

/**
 * Seeds documents the hub already holds (hub-stamped events, official numbers, deadlines)
 * straight into the store with `_bulk_docs`, with the hub stopped, and moves the workflow
 * checkpoint past them: they stand for cases the hub processed long ago, so its processor
 * does not re-read 20,000 cases in the middle of a measurement. Restarts the hub.
 */
export async function seedHubHeldCases(
  hub: BenchHub,
  docs: ReadonlyArray<{ id: string }>,
  log: (m: string) => void,
): Promise<number> {
  await hub.stop({ keepData: true });
  const { store, close } = await hub.offline(log);
  const t0 = performance.now();
  try {
    const db = store.db('cases');
    for (let i = 0; i < docs.length; i += 1000) {
      const batch = docs.slice(i, i + 1000).map((d) => ({ _id: d.id, ...d }));
      const res = await db.bulk({ docs: batch });
      const bad = res.filter((r) => 'error' in r && r.error);
      if (bad.length) throw new Error(`bulk insert: ${JSON.stringify(bad[0])}`);
    }
    const info = await db.info();
    const hubDb = store.db<{ type: string; seq: string; updatedAt: string }>('hub');
    let rev: string | undefined;
    try {
      rev = (await hubDb.get(CHECKPOINT_ID))._rev;
    } catch {
      rev = undefined;
    }
    await hubDb.insert({
      _id: CHECKPOINT_ID,
      ...(rev ? { _rev: rev } : {}),
      type: 'checkpoint',
      seq: String(info.update_seq),
      updatedAt: new Date().toISOString(),
    });
  } finally {
    await close();
  }
  const ms = performance.now() - t0;
  await hub.restart();
  return ms;
}
