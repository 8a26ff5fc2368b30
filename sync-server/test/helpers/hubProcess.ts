/**
 * Runs the real hub as a child process (`sibantong-hub serve`) on a free port and a temporary
 * data folder, and the real CLI against it. Every process started here is stopped by `stop()`;
 * the embedded store child exits with its hub.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

// Not `new URL('../..', import.meta.url)`: Vite rewrites that form in browser-like (jsdom)
// test files into an http: asset URL, and screen tests against a real hub use this helper.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');

/**
 * Node's arguments for the hub's command: the bundle this test run built (./hubBundle.ts, about
 * a third of tsx's start time), or the sources through tsx when there is none (a run outside
 * the vitest configs) or HUB_TEST_TSX=1. Read at each start: vitest's global setup sets it.
 */
function hubCommand(): string[] {
  const bundle = process.env.HUB_TEST_TSX === '1' ? '' : (process.env.SBT_TEST_HUB_BUNDLE ?? '');
  // Bare 'tsx': resolved from the working directory (the workspace's node_modules).
  return bundle ? ['--enable-source-maps', bundle] : ['--import', 'tsx', MAIN];
}

export type StoreMode = 'embedded' | 'couchdb';

/**
 * How long a hub (re)start may take. 60 s by default; a long chaos run on a loaded machine can
 * give more with HUB_START_TIMEOUT_MS instead of losing the seed to a slow start.
 */
const HUB_START_MS = Number(process.env.HUB_START_TIMEOUT_MS ?? 60_000);

export const COUCHDB_URL = process.env.COUCHDB_URL ?? '';

/**
 * Store modes the suites run on: always the embedded store, CouchDB when COUCHDB_URL is set.
 * HUB_STORE_MODES (comma-separated, e.g. `couchdb`) narrows that list: CI runs the embedded
 * store once in the main run, then only the CouchDB mode against a single node and against a
 * 3-node cluster (scripts/test-couchdb.sh), without repeating the embedded runs.
 */
export function storeModes(): StoreMode[] {
  const all: StoreMode[] = COUCHDB_URL ? ['embedded', 'couchdb'] : ['embedded'];
  const only = (process.env.HUB_STORE_MODES ?? '').split(',').filter(Boolean);
  return only.length === 0 ? all : all.filter((m) => only.includes(m));
}

export interface HubHandle {
  readonly url: string;
  readonly dataDir: string;
  readonly mode: StoreMode;
  /** Database name prefix of this hub's store. */
  readonly prefix: string;
  readonly pid: number;
  /** pid of the embedded store child (embedded mode only). */
  storePid(): number;
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; json: unknown }>;
  kill9(): Promise<void>;
  /** Starts the hub again on the same data folder; `env` changes its environment (e.g. COUCHDB_URL after a migrate). */
  restart(env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

function exited(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
}

export async function startHub(
  opts: { mode?: StoreMode; env?: Record<string, string> } = {},
): Promise<HubHandle> {
  const mode = opts.mode ?? 'embedded';
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sbt-hub-'));
  const prefix = `t${randomBytes(4).toString('hex')}_`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    HUB_PORT: '0',
    HUB_HOST: '127.0.0.1',
    HUB_DATA_DIR: dataDir,
    HUB_TEST_MODE: '1',
    HUB_WARNING_INTERVAL_MS: '600000',
    HUB_DB_PREFIX: prefix,
    ...(mode === 'couchdb' ? { COUCHDB_URL } : {}),
    ...opts.env,
  };
  let proc: ChildProcess;
  let url = '';

  const launch = async () => {
    proc = spawn(process.execPath, [...hubCommand(), 'serve'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (process.env.HUB_TEST_LOG) process.stderr.write(d);
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`hub did not start within ${HUB_START_MS} ms: ${stderr}`)),
        HUB_START_MS,
      );
      proc.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{"event":"listening"'));
        if (line) {
          clearTimeout(timer);
          const port = (JSON.parse(line) as { port: number }).port;
          resolve(`http://127.0.0.1:${port}`);
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`hub exited (${code}): ${stderr}`));
      });
    });
  };
  await launch();

  const handle: HubHandle = {
    get url() {
      return url;
    },
    dataDir,
    mode,
    prefix,
    get pid() {
      return proc.pid ?? 0;
    },
    storePid() {
      const ep = JSON.parse(readFileSync(path.join(dataDir, 'store', 'endpoint.json'), 'utf8')) as {
        pid: number;
      };
      return ep.pid;
    },
    cli(args) {
      return new Promise((resolve) => {
        const child = spawn(process.execPath, [...hubCommand(), ...args, '--json'], {
          cwd: ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (code) => {
          let json: unknown = null;
          try {
            json = JSON.parse(stdout.trim().split('\n').pop() ?? '');
          } catch {
            json = null;
          }
          resolve({ code: code ?? 1, stdout, stderr, json });
        });
      });
    },
    async kill9() {
      proc.kill('SIGKILL');
      await exited(proc);
    },
    async restart(extra) {
      Object.assign(env, extra ?? {});
      await launch();
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 8000);
        await exited(proc);
        clearTimeout(t);
      }
      // The store child exits on its own when its hub's IPC channel closes; make sure.
      try {
        const pid = handle.storePid();
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 500));
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
      if (mode === 'couchdb') await dropCouchDbs(prefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

async function dropCouchDbs(prefix: string): Promise<void> {
  const base = new URL(COUCHDB_URL);
  const auth = base.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`
    : '';
  base.username = '';
  base.password = '';
  const headers: Record<string, string> = auth ? { authorization: auth } : {};
  const res = await fetch(new URL('/_all_dbs', base), { headers });
  const dbs = (await res.json()) as string[];
  for (const db of dbs.filter((d) => d.startsWith(prefix))) {
    await fetch(new URL(`/${db}`, base), { method: 'DELETE', headers });
  }
}
