/**
 * Simulated desktops against a REAL hub process (sync-server/test/helpers/hubProcess.ts):
 * each device is the renderer's own database (RxDB) and sync engine (sync/replication.ts),
 * talking HTTP and server-sent events to the hub. Test files must route the session store to
 * ./deviceSessions and install the Node EventSource (see syncFaults.test.ts).
 */
import type { CaseDoc, EnrollResponse } from '@sibantong/shared';
import type { RxStorage } from 'rxdb';
import type { DeviceConfig } from '../../../src/renderer/auth/deviceConfig';
import type { AppDatabase } from '../../../src/renderer/db/database';
import type { SyncEngine } from '../../../src/renderer/sync/replication';
import {
  enrolDevices,
  loginAs,
  type TestClient,
} from '../../../../sync-server/test/helpers/client';
import {
  startHub,
  type HubHandle,
  type StoreMode,
} from '../../../../sync-server/test/helpers/hubProcess';
import { registerDevice, setOnline } from './deviceSessions';

export const DATA_KEY = 'test-data-key-0123456789abcdef';

export async function startSeededHub(
  mode: StoreMode = 'embedded',
  env?: Record<string, string>,
): Promise<HubHandle> {
  const hub = await startHub({ mode, env });
  const seeded = await hub.cli(['seed-demo']);
  if (seeded.code !== 0) throw new Error(`seed-demo: ${seeded.stderr}`);
  return hub;
}

/** A plain HTTP client of the hub (no RxDB) for arranging and checking the hub's side. */
export async function hubClient(
  hub: HubHandle,
  unit: string,
  username: string,
): Promise<TestClient> {
  const [device] = await enrolDevices(hub, unit, 1);
  return loginAs(hub, device!, username);
}

let dbCounter = 0;

const STEP_LIMIT_MS = 90_000;

async function bounded<T>(work: Promise<T> | undefined, what: string): Promise<T | undefined> {
  if (!work) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what} did not finish within ${STEP_LIMIT_MS / 1000} s`)),
          STEP_LIMIT_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export class SimDesktop {
  db: AppDatabase | null = null;
  engine: SyncEngine | null = null;
  readonly cfg: DeviceConfig;
  private readonly dbName: string;

  private constructor(
    readonly hub: HubHandle,
    readonly username: string,
    readonly enrolment: EnrollResponse,
    sealedSecret: string,
    private readonly storage?: () => RxStorage<unknown, unknown>,
  ) {
    this.cfg = {
      hubUrl: hub.url,
      hubName: enrolment.hubName,
      deviceId: enrolment.deviceId,
      orgUnitId: enrolment.orgUnitId,
      deviceSecretSealed: sealedSecret,
      allowInsecure: true,
      enrolledAt: new Date().toISOString(),
    };
    dbCounter += 1;
    this.dbName = `${enrolment.deviceId}x${dbCounter}`;
    registerDevice(enrolment.deviceId, username, enrolment.deviceSecret);
  }

  static async enrol(
    hub: HubHandle,
    unit: string,
    username: string,
    storage?: () => RxStorage<unknown, unknown>,
  ): Promise<SimDesktop> {
    const [enrolment] = await enrolDevices(hub, unit, 1);
    const { sealSecret } = await import('../../../src/renderer/crypto/secretSealing');
    const sealed = await sealSecret(enrolment!.deviceSecret);
    return new SimDesktop(hub, username, enrolment!, sealed, storage);
  }

  get deviceId(): string {
    return this.cfg.deviceId;
  }

  /** Opens the device's database (if closed) and starts its sync engine. */
  async start(): Promise<SyncEngine> {
    const { openDatabase } = await import('../../../src/renderer/db/database');
    const { startSync } = await import('../../../src/renderer/sync/replication');
    this.db ??= (await bounded(
      openDatabase(this.dbName, DATA_KEY, this.storage?.()),
      `${this.dbName}: database open`,
    ))!;
    // The hub may have restarted on another port.
    this.cfg.hubUrl = this.hub.url;
    this.engine = startSync(this.db, this.cfg);
    return this.engine;
  }

  /** Stops the engine; `close` also closes the database (an app restart reopens it). */
  async stop(close = false): Promise<void> {
    // Each step bounded and named: a step that never ends fails with its name instead of
    // holding a whole test (the chaos run saw a desktop's stop hang on the embedded store).
    await bounded(this.engine?.stop(), `${this.dbName}: sync engine stop`);
    this.engine = null;
    if (close) {
      await bounded(this.db?.close(), `${this.dbName}: database close`);
      this.db = null;
    }
  }

  /** An app restart: engine stopped, database closed and reopened, engine started. */
  async restart(): Promise<SyncEngine> {
    await this.stop(true);
    return this.start();
  }

  setOnline(online: boolean): void {
    setOnline(this.deviceId, online);
    if (online) this.engine?.syncNow();
  }

  async case(id: string): Promise<CaseDoc | null> {
    const d = await this.db!.cases.findOne(id).exec();
    return d ? (d.toJSON() as unknown as CaseDoc) : null;
  }

  async allCases(): Promise<CaseDoc[]> {
    const docs = await this.db!.cases.find().exec();
    return docs.map((d) => d.toJSON() as unknown as CaseDoc);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(
  check: () => Promise<boolean> | boolean,
  ms = 15_000,
  what = 'condition',
): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
