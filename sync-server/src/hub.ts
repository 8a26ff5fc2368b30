/** Everything one running hub holds, wired once at start and passed to the routes. */
import { AuthService } from './auth/session.js';
import { loadTokenKey } from './auth/tokenKey.js';
import type { HubConfig } from './config.js';
import { RefData } from './domain/refData.js';
import { provision } from './store/provision.js';
import type { Store } from './store/store.js';
import { storeEpoch } from './store/storeEpoch.js';
import { seedCalendarsIfMissing } from './seed/seedCalendars.js';
import { CaseScopeIndex } from './sync/caseIndex.js';
import { ChangeFollower } from './sync/changeFollower.js';
import { Gate } from './sync/gate.js';
import type { PullServices } from './sync/pullHandler.js';
import { DeviceTraffic } from './sync/deviceTraffic.js';
import { StreamHub } from './sync/stream.js';
import { WorkflowProcessor } from './workflow/processor.js';
import { FigureAggregates } from './figures/figureAggregates.js';
import { PauseWatch } from './admin/pauseWatch.js';

export interface Hub {
  config: HubConfig;
  store: Store;
  /** Handed out with every pull checkpoint (store/storeEpoch.ts). */
  storeEpoch: string;
  auth: AuthService;
  ref: RefData;
  follower: ChangeFollower;
  /** Scope index of the cases feed and the pull concurrency limits. */
  index: CaseScopeIndex;
  pullServices: PullServices;
  /** Push requests writing to the store at once (the rest queue here, in order). */
  pushGate: Gate;
  /** Devices' pushes in flight: the workflow and the figure aggregates defer to them. */
  deviceTraffic: DeviceTraffic;
  stream: StreamHub;
  processor: WorkflowProcessor;
  /** The cockpit's daily aggregates (figures/figureAggregates.ts), kept by one hub at a time. */
  figureAggregates: FigureAggregates;
  /** This process's stalls and memory, for IT's health (admin/pauseWatch.ts). */
  pauses: PauseWatch;
}

export const BAD_RATING_FOLLOW_UP_DAYS = Number(process.env.HUB_BAD_RATING_DAYS ?? 5);
/** Pulls scanning the store's `_changes` at once (the rest queue). */
const PULL_SCAN_CONCURRENCY = Math.max(1, Number(process.env.HUB_PULL_SCAN_CONCURRENCY ?? 2));
/** Index-path pulls reading their documents from the store at once. */
const PULL_READ_CONCURRENCY = Math.max(1, Number(process.env.HUB_PULL_READ_CONCURRENCY ?? 4));
/**
 * Push requests at the store at once. The embedded store is one process: given hundreds of
 * requests at once (a reconnection storm) it interleaves all of them, and every request waits
 * for its turn through all the others, including the change follower's feed read, which asks
 * for one row after another. The change follower then falls tens of thousands of changes
 * behind, and no device hears of a pushed case until it has caught up. A dozen pushes at a
 * time keep the store as busy writing (fewer leave it idle while the hub checks the rows),
 * while the follower's reads pass between them.
 */
const PUSH_CONCURRENCY = Math.max(1, Number(process.env.HUB_PUSH_CONCURRENCY ?? 12));

export async function createHub(config: HubConfig, store: Store): Promise<Hub> {
  await provision(store);
  await seedCalendarsIfMissing(store);
  const epoch = await storeEpoch(store);
  const auth = new AuthService(store, await loadTokenKey(store));
  const ref = new RefData(store);
  const index = new CaseScopeIndex(store.kind === 'embedded');
  const pullServices: PullServices = {
    index,
    scanGate: new Gate(PULL_SCAN_CONCURRENCY),
    readGate: new Gate(PULL_READ_CONCURRENCY),
  };
  const pushGate = new Gate(PUSH_CONCURRENCY);
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
  const figureAggregates = new FigureAggregates(store, ref, {
    deviceTraffic,
    log: (m) => console.error(m),
  });
  const pauses = new PauseWatch((line) => console.error(line));
  pauses.start();
  follower.start();
  processor.start();
  figureAggregates.start();
  return {
    config,
    store,
    storeEpoch: epoch,
    auth,
    ref,
    follower,
    index,
    pullServices,
    pushGate,
    deviceTraffic,
    stream,
    processor,
    figureAggregates,
    pauses,
  };
}

export async function stopHub(hub: Hub): Promise<void> {
  hub.pauses.stop();
  hub.follower.stop();
  await hub.processor.stop();
  await hub.figureAggregates.stop();
}
