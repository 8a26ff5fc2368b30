/**
 * Where a figure request is answered from: the hub's aggregates when they are current, else the
 * views — but only on a store small enough for a view to be brought up to date within the
 * request. Past that, the views are no way out: after a bulk load of a million cases their
 * indexes take hours to build, on either store (docs/cockpit.md, "Measured"), so the request
 * would hang and then start that build beside the aggregates' own rebuild. It is refused
 * instead, with a stable code and how far the rebuild is; the cockpit keeps showing its last
 * figures with their time and asks again.
 */
import { FIGURES_REBUILDING } from '@sibantong/shared';
import { ApiHttpError } from '../http/apiError.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import {
  AGGREGATES_STATE_ID,
  AGGREGATES_VERSION,
  aggregatesOff,
  changesAfter,
  readDoc,
  type StateDoc,
} from './figureAggregates.js';

/** Changes of the cases the aggregates may lag behind and still answer (about a push's worth). */
const READ_BEHIND = 50;

/**
 * Cases up to which the views stand in while the aggregates are not current (a demo history
 * written while the hub runs: about 5,000). `HUB_FIGURES_VIEWS_MAX_CASES` changes it.
 */
const VIEWS_MAX_CASES = 20_000;

function viewsMaxCases(): number {
  const v = Number(process.env.HUB_FIGURES_VIEWS_MAX_CASES);
  return Number.isInteger(v) && v >= 0 ? v : VIEWS_MAX_CASES;
}

/** How many changes the aggregates are behind the cases, or null when they are not built. */
async function behind(store: Store, state: StateDoc | null): Promise<number | null> {
  if (!state || !state.ready || state.version !== AGGREGATES_VERSION) return null;
  try {
    return await changesAfter(store, state.seqs.cases ?? '0');
  } catch (err) {
    if (statusOf(err) === 400) return null; // a position this store does not know (a restore)
    throw err;
  }
}

/**
 * How far a rebuild of the current shape is, in percent (never 100 before it ends), or null
 * when none is under way (the cockpit's refusal, IT's health).
 */
export function rebuildPercent(state: StateDoc | null): number | null {
  const r = state?.version === AGGREGATES_VERSION ? state.rebuilding : undefined;
  return r && r.total > 0 ? Math.min(99, Math.floor((r.read / r.total) * 100)) : null;
}

/** Why the figures cannot be read now, in words a supervisor can act on. */
function refusal(state: StateDoc | null): ApiHttpError {
  const percent = rebuildPercent(state);
  const messageZh =
    percent !== null
      ? `驾驶舱统计数据正在重建（已完成 ${percent}%），完成后即可查看，请稍后刷新`
      : '驾驶舱统计数据正在准备，请稍后刷新';
  return new ApiHttpError(503, FIGURES_REBUILDING, messageZh);
}

/**
 * 'aggregates' when they are current; 'views' when they are not but the store is small (or
 * `HUB_FIGURE_AGGREGATES=off`); on a large store, the aggregates once built even when behind;
 * else throws FIGURES_REBUILDING (503).
 */
export type FigureSource = 'aggregates' | 'views';

export async function figureSource(store: Store): Promise<FigureSource> {
  if (aggregatesOff()) return 'views';
  const state = await readDoc<StateDoc>(store, AGGREGATES_STATE_ID);
  const lag = await behind(store, state);
  // Far behind the cases (a bulk load such as `seed-demo --history` while the hub runs, or the
  // follower waiting for devices' traffic) counts as not current where the views can answer
  // exactly: a journey opened the cockpit right after the history was written and read 0 cases.
  if (lag !== null && lag <= READ_BEHIND) return 'aggregates';
  const info = (await withStoreRetry(() => store.db('cases').info())) as { doc_count?: number };
  if ((info.doc_count ?? 0) <= viewsMaxCases()) return 'views';
  // On a large store figures some changes behind (a storm of pushes the follower waits out) are
  // a better answer than a view that takes hours; the follower catches up, or rebuilds past
  // 5,000 changes, and then `ready` is false.
  if (lag !== null) return 'aggregates';
  throw refusal(state);
}
