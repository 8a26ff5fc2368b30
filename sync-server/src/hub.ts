/** Everything one running hub holds, wired once at start and passed to the routes. */
import { AuthService } from './auth/session.js';
import { loadTokenKey } from './auth/tokenKey.js';
import type { HubConfig } from './config.js';
import { RefData } from './domain/refData.js';
import { provision } from './store/provision.js';
import type { Store } from './store/store.js';
import { seedCalendarsIfMissing } from './seed/seedCalendars.js';
import { CaseScopeIndex } from './sync/caseIndex.js';
import { ChangeFollower } from './sync/changeFollower.js';
import { Gate } from './sync/gate.js';
import type { PullServices } from './sync/pullHandler.js';
import { DeviceTraffic } from './sync/deviceTraffic.js';
import { StreamHub } from './sync/stream.js';
import { WorkflowProcessor } from './workflow/processor.js';

export interface Hub {
  config: HubConfig;
  store: Store;
  auth: AuthService;
  ref: RefData;
  follower: ChangeFollower;
  /** Scope index of the cases feed and the pull concurrency limits. */
  index: CaseScopeIndex;
  pullServices: PullServices;
  /** Devices' pushes and pulls in flight: the workflow processor defers to them. */
  deviceTraffic: DeviceTraffic;
  stream: StreamHub;
  processor: WorkflowProcessor;
}

export const BAD_RATING_FOLLOW_UP_DAYS = Number(process.env.HUB_BAD_RATING_DAYS ?? 5);
/** Pulls scanning the store's `_changes` at once (the rest queue; pushes never do). */
const PULL_SCAN_CONCURRENCY = Math.max(1, Number(process.env.HUB_PULL_SCAN_CONCURRENCY ?? 2));
/** Index-path pulls reading their documents from the store at once. */
const PULL_READ_CONCURRENCY = Math.max(1, Number(process.env.HUB_PULL_READ_CONCURRENCY ?? 4));

export async function createHub(config: HubConfig, store: Store): Promise<Hub> {
  await provision(store);
  await seedCalendarsIfMissing(store);
  const auth = new AuthService(store, await loadTokenKey(store));
  const ref = new RefData(store);
  const index = new CaseScopeIndex(store.kind === 'embedded');
  const pullServices: PullServices = {
    index,
    scanGate: new Gate(PULL_SCAN_CONCURRENCY),
    readGate: new Gate(PULL_READ_CONCURRENCY),
  };
  const follower = new ChangeFollower(store, index);
  follower.on((n) => {
    if (n.collection === 'matters' || n.collection === 'orgUnits' || n.collection === 'calendars') {
      ref.invalidate();
    }
  });
  const stream = new StreamHub(follower, ref, auth);
  const deviceTraffic = new DeviceTraffic();
  const processor = new WorkflowProcessor(store, ref, {
    deviceTraffic,
    followUpDays: BAD_RATING_FOLLOW_UP_DAYS,
    warningIntervalMs: config.warningIntervalMs,
    log: (m) => console.error(m),
  });
  follower.start();
  processor.start();
  return {
    config,
    store,
    auth,
    ref,
    follower,
    index,
    pullServices,
    deviceTraffic,
    stream,
    processor,
  };
}

export async function stopHub(hub: Hub): Promise<void> {
  hub.follower.stop();
  await hub.processor.stop();
}
