/**
 * The stores the hub scenarios run on: the hub's embedded store, a real CouchDB 3.5 single
 * node, or a 3-node CouchDB cluster, both from ../shared/tools/couchdb (a temporary folder,
 * removed at the end). Every hub started on CouchDB gets its own database prefix, so the
 * scenarios of one run never see each other's data.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const STORE_KINDS = ['embedded', 'couchdb', 'cluster'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOOL =
  process.env.BENCH_COUCHDB_TOOL ?? path.join(ROOT, '..', 'shared', 'tools', 'couchdb', 'couchdb');

/** Where a hub keeps its cases: nothing (embedded) or a CouchDB URL with credentials. */
export interface StoreTarget {
  kind: StoreKind;
  couchUrl: string | null;
  /** Description for the report (CouchDB version, nodes). */
  label: string;
  /** The CouchDB tool's folder (node control: kill-node / start-node); null when embedded. */
  dir: string | null;
}

/** Pids of the CouchDB nodes started here (their pid files), for CPU sampling; [] when embedded. */
export function couchPids(target: StoreTarget): number[] {
  if (!target.dir) return [];
  const out: number[] = [];
  for (let k = 1; k <= 3; k += 1) {
    try {
      const pid = Number(readFileSync(path.join(target.dir, `node${k}`, 'couchdb.pid'), 'utf8'));
      if (Number.isInteger(pid) && pid > 0) out.push(pid);
    } catch {
      // fewer nodes, or a node down
    }
  }
  return out;
}

/** Kills (SIGKILL) or restarts node `k` (1-based) of a cluster started here. */
export async function controlNode(
  target: StoreTarget,
  action: 'kill-node' | 'start-node',
  k: number,
): Promise<void> {
  if (!target.dir) throw new Error('node control needs a CouchDB started by the harness');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(TOOL, [action, String(k), '--dir', target.dir!], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`couchdb ${action} ${k}: ${err.slice(-500)}`)),
    );
  });
}

const running: string[] = [];
process.on('exit', () => {
  for (const dir of running)
    spawnSync(TOOL, ['stop', '--dir', dir, '--rm'], { stdio: 'ignore', timeout: 60_000 });
});

let prefixCounter = 0;
/** A fresh database prefix per hub on a shared CouchDB. */
export function nextPrefix(): string {
  prefixCounter += 1;
  return `b${Date.now().toString(36)}${prefixCounter}_`;
}

export async function startStore(
  kind: StoreKind,
  log: (m: string) => void,
): Promise<{ target: StoreTarget; stop(): Promise<void> }> {
  if (kind === 'embedded')
    return {
      target: { kind, couchUrl: null, label: 'embedded (express-pouchdb on LevelDB)', dir: null },
      stop: async () => undefined,
    };
  if (!existsSync(TOOL)) throw new Error(`CouchDB tool not found at ${TOOL} (BENCH_COUCHDB_TOOL)`);
  const nodes = kind === 'cluster' ? 3 : 1;
  const port = Number(
    kind === 'cluster'
      ? (process.env.BENCH_CLUSTER_PORT ?? 16300)
      : (process.env.BENCH_COUCHDB_PORT ?? 16200),
  );
  const dir = mkdtempSync(path.join(tmpdir(), `sbt-bench-couch-${kind}-`));
  running.push(dir);
  const t0 = performance.now();
  const startOnce = () =>
    new Promise<string>((resolve, reject) => {
      const child = spawn(
        TOOL,
        ['start', '--port', String(port), '--dir', dir, '--nodes', String(nodes), '-q'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) =>
        code === 0 && out.trim().startsWith('http')
          ? resolve(out.trim().split('\n').pop()!.trim())
          : reject(new Error(`couchdb start (${kind}) failed (${code}): ${err.slice(-2000)}`)),
      );
    });
  // One start on a fresh machine failed creating `_users` (HTTP 500) right after a test run
  // had used the port; the tool stops what it started, and a second start went through. Once,
  // and loudly: a store that fails twice is news.
  const url = await startOnce().catch(async (err: unknown) => {
    log(`${String(err).split('\n')[0]} — stopping and starting once more`);
    spawnSync(TOOL, ['stop', '--dir', dir], { stdio: 'ignore', timeout: 60_000 });
    await new Promise((r) => setTimeout(r, 3000));
    return startOnce();
  });
  const version = await fetch(url.replace(/\/\/[^@]*@/, '//'))
    .then((r) => r.json() as Promise<{ version?: string }>)
    .then((b) => b.version ?? '?')
    .catch(() => '?');
  log(
    `CouchDB ${version} ${kind} (${nodes} node${nodes > 1 ? 's' : ''}) up in ${Math.round(performance.now() - t0)} ms on port ${port}`,
  );
  return {
    target: {
      kind,
      couchUrl: url,
      dir,
      label: `CouchDB ${version}, ${nodes === 1 ? 'single node' : '3-node cluster (n=3, q=2)'} on this machine`,
    },
    async stop() {
      spawnSync(TOOL, ['stop', '--dir', dir, '--rm'], { stdio: 'ignore', timeout: 60_000 });
      running.splice(running.indexOf(dir), 1);
    },
  };
}

/** Base URL and credentials of a CouchDB URL with `user:password@`. */
export function splitCredentials(url: string): { url: string; user: string; password: string } {
  const u = new URL(url);
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.toString().replace(/\/+$/, ''), user, password };
}

/** A request to a CouchDB URL with `user:password@`, the credentials sent as Basic auth. */
export function couchFetch(couchUrl: string, path: string, init: RequestInit = {}) {
  const { url, user, password } = splitCredentials(couchUrl);
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return fetch(`${url}${path}`, { ...init, headers: { ...init.headers, authorization } });
}

/** A task of CouchDB's `_active_tasks` (indexing, compaction…), as far as the bench reads it. */
export type CouchTask = {
  type: string;
  database?: string;
  design_document?: string;
  changes_done?: number;
  total_changes?: number;
};

/** What CouchDB is busy with now. */
export async function activeTasks(couchUrl: string): Promise<CouchTask[]> {
  return (await (await couchFetch(couchUrl, '/_active_tasks')).json()) as CouchTask[];
}
