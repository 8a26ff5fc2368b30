/**
 * Supervisor of the embedded store child process (embeddedStoreMain.mjs). The child is
 * isolated because pouchdb-server crashes on some request kinds; when it exits unexpectedly
 * the supervisor restarts it on the same loopback port, and callers ride over the gap with
 * `withStoreRetry`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocumentScope, ServerScope } from 'nano';
import { fetchVersion, nanoFor, waitForStore } from './connect.js';
import { storeAdminSecret } from './secrets.js';
import { dbName, type DbKey, type Store } from './store.js';

const CHILD = fileURLToPath(new URL('./embeddedStoreMain.mjs', import.meta.url));

export interface EndpointFile {
  port: number;
  pid: number;
  supervisorPid: number;
}

export function endpointPath(dataDir: string): string {
  return path.join(dataDir, 'store', 'endpoint.json');
}

export function readEndpoint(dataDir: string): EndpointFile | null {
  try {
    const raw: unknown = JSON.parse(readFileSync(endpointPath(dataDir), 'utf8'));
    if (raw && typeof raw === 'object' && 'port' in raw && typeof raw.port === 'number') {
      const r = raw as Partial<EndpointFile>;
      return {
        port: raw.port,
        pid: Number(r.pid ?? 0),
        supervisorPid: Number(r.supervisorPid ?? 0),
      };
    }
  } catch {
    // no endpoint: no store running for this folder
  }
  return null;
}

export class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  private child: ChildProcess | null = null;
  private port = 0;
  private stopping = false;
  private restarts = 0;
  private nanoCache: ServerScope | null = null;
  private readonly user: string;
  private readonly secret: string;
  private readonly storeDir: string;

  constructor(
    private readonly dataDir: string,
    readonly prefix: string,
    private readonly log: (msg: string) => void = (m) => console.error(m),
  ) {
    const s = storeAdminSecret(dataDir);
    this.user = s.user;
    this.secret = s.secret;
    this.storeDir = path.join(dataDir, 'store');
  }

  get childPid(): number | undefined {
    return this.child?.pid;
  }

  get restartCount(): number {
    return this.restarts;
  }

  async start(): Promise<void> {
    // Owner-only: the LevelDB files hold every document; other local users must not read
    // them (the port itself answers only the admin, see embeddedStoreMain.mjs).
    mkdirSync(this.storeDir, { recursive: true, mode: 0o700 });
    chmodSync(this.storeDir, 0o700);
    await this.spawnChild();
  }

  private spawnChild(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = fork(CHILD, [], {
        env: {
          PATH: process.env.PATH ?? '',
          STORE_DIR: this.storeDir,
          STORE_PORT: String(this.port),
          STORE_ADMIN_USER: this.user,
          STORE_ADMIN_SECRET: this.secret,
        },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        execArgv: [],
      });
      this.child = child;
      let ready = false;
      child.on('message', (msg: unknown) => {
        if (msg && typeof msg === 'object' && 'type' in msg && msg.type === 'ready') {
          const port = (msg as { port?: unknown }).port;
          if (typeof port === 'number') this.port = port;
          ready = true;
          this.nanoCache = null;
          const ep: EndpointFile = {
            port: this.port,
            pid: child.pid ?? 0,
            supervisorPid: process.pid,
          };
          writeFileSync(endpointPath(this.dataDir), JSON.stringify(ep));
          resolve();
        }
      });
      child.on('exit', (code, signal) => {
        if (this.child === child) this.child = null;
        if (!ready) {
          reject(new Error(`embedded store exited before ready (code ${code}, signal ${signal})`));
          return;
        }
        if (this.stopping) return;
        this.restarts += 1;
        this.log(`embedded store exited (code ${code}, signal ${signal}); restarting`);
        const again = () => {
          if (this.stopping) return;
          this.spawnChild().catch((err: unknown) => {
            this.log(`embedded store restart failed: ${String(err)}; retrying`);
            setTimeout(again, 1000);
          });
        };
        setTimeout(again, 100);
      });
    });
  }

  baseUrl(): string {
    return `http://${encodeURIComponent(this.user)}:${encodeURIComponent(this.secret)}@127.0.0.1:${this.port}`;
  }

  server(): ServerScope {
    if (!this.nanoCache) this.nanoCache = nanoFor(this.baseUrl());
    return this.nanoCache;
  }

  db<D extends object = Record<string, unknown>>(key: DbKey): DocumentScope<D> {
    return this.server().use<D>(dbName(this.prefix, key));
  }

  async version(): Promise<string> {
    return `pouchdb-server ${await fetchVersion(this.baseUrl())}`;
  }

  waitReady(timeoutMs: number): Promise<void> {
    return waitForStore(() => this.baseUrl(), timeoutMs, 100);
  }

  async close(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    }
    rmSync(endpointPath(this.dataDir), { force: true });
  }
}

/**
 * A store that another process (a running hub) supervises: the CLI uses it so that it never
 * opens the LevelDB folder a second time.
 */
export class AttachedEmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  private readonly url: string;
  private readonly nano: ServerScope;
  constructor(
    dataDir: string,
    port: number,
    readonly prefix: string,
  ) {
    const s = storeAdminSecret(dataDir);
    this.url = `http://${encodeURIComponent(s.user)}:${encodeURIComponent(s.secret)}@127.0.0.1:${port}`;
    this.nano = nanoFor(this.url);
  }
  baseUrl(): string {
    return this.url;
  }
  server(): ServerScope {
    return this.nano;
  }
  db<D extends object = Record<string, unknown>>(key: DbKey): DocumentScope<D> {
    return this.nano.use<D>(dbName(this.prefix, key));
  }
  async version(): Promise<string> {
    return `pouchdb-server ${await fetchVersion(this.url)}`;
  }
  waitReady(timeoutMs: number): Promise<void> {
    return waitForStore(() => this.url, timeoutMs, 100);
  }
  async close(): Promise<void> {}
}
