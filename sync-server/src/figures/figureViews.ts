/**
 * The cockpit's figures as CouchDB map/reduce views (docs/cockpit.md: why views). The store
 * keeps each index current incrementally as documents change — the same on the embedded
 * pouchdb-server as on a CouchDB node or cluster — so a figure request reads a few reduced
 * rows (days × units), never the cases. Map functions are plain ES5 (CouchDB's JavaScript
 * engine), use only unsealed fields (status, units, matter, event types and times; the
 * applicant's identity is sealed at rest and never needed) and the built-in `_sum` reduce.
 *
 * Keys:
 * - cases `facts`: [scope, dimension, day, fact, value] — scope 'county' or the town id;
 *   dimension 'all' (value ''), 'town' (county scope only), 'village', 'matter'; running
 *   cases under 'due:<dimension>' keyed by their promised date. A range of days for one
 *   (scope, dimension) is contiguous, so each dimension is one query grouped to day, fact and
 *   value: rows grow with days × facts × values present, never with cases.
 * - cases `months`: [scope, dimension, month, fact, value] for 'town', 'village' and 'matter':
 *   the whole months of a range in one query (figureQuery.ts), the days only at its ends.
 * - cases `drill`: [scope, fact, dimension, value, day], no reduce: the cases behind a number.
 * - cases `spans`: [scope, conclusion day, acceptance day]: working days are counted by the
 *   hub with its calendar per distinct pair (a view cannot know holidays).
 * - cases `uploads`: [deviceId] → the hub time (ms) of its latest event, `_stats` max.
 * - tickets, supervision, refusals `facts`: [fact, day, unit id].
 * The design documents carry a version; a hub with newer views replaces older ones.
 *
 * The hub answers from its own aggregates and index (figureAggregates.ts, figureDrill.ts); the
 * views stand in only on a small store or for comparison (figureSource.ts). So the design
 * documents are marked `autoupdate: false`: CouchDB's background indexer ("ken") leaves them
 * alone, and a view is brought up to date only when asked (as the embedded store always does).
 * Kept warm after a bulk load of a million cases, they kept the CouchDB node busy for over an
 * hour, competing with the hub's own rebuild and with every figure request (bench/findings.md).
 */
import type { RecordFact } from '@sibantong/shared';
import { CASE_FACTS } from '@sibantong/shared';
import { dbName, statusOf, withStoreRetry, type DbKey, type Store } from '../store/store.js';

export const FIGURES_DDOC = '_design/figures';
/** Bump when a map function changes: the hub replaces the design documents it finds older. */
export const FIGURES_VIEW_VERSION = 5;

const DAY_FN = `function day(iso) { return new Date(Date.parse(iso) + 28800000).toISOString().slice(0, 10); }`;

/** The facts of one case, as `put(fact, day)` calls (shared by `facts` and `drill`). */
const CASE_FACTS_FN = `
  var ev = doc.events, first = {}, i, e;
  function at(x) { return x.hubTime || x.deviceTime; }
  for (i = 0; i < ev.length; i++) {
    e = ev[i];
    if (!first[e.type]) first[e.type] = e;
    if (e.type === 'rate' && e.payload && e.payload.level >= 1 && e.payload.level <= 5) {
      put('rate' + e.payload.level, day(at(e)));
    }
  }
  var rc = first.receive, ac = first.accept, cc = first.conclude;
  if (rc) {
    put('received', day(at(rc)));
    if (rc.payload && (rc.payload.agentAuthorised === true || rc.payload.channel === 'home_visit')) {
      put('assisted', day(at(rc)));
    }
  }
  if (first.inform_missing) put('informed', day(at(first.inform_missing)));
  if (first.refuse) put('notAccepted', day(at(first.refuse)));
  if (ac) {
    put('accepted', day(at(ac)));
    if (ac.payload && ac.payload.deferred) put('deferred', day(at(ac)));
  }
  var due = doc.deadlines && doc.deadlines.promisedDue;
  if (cc) {
    var cd = day(at(cc));
    put('concluded', cd);
    if (ac && day(at(ac)) === cd) put('instant', cd);
    if (due && cd > due) put('late', cd); else put('onTime', cd);
  }
  var running = doc.status === 'accepted' || doc.status === 'accepted_deferred' || doc.status === 'processing';
  if (running && due) put('openDue', due);
`;

function caseMap(emitLines: string): string {
  return `function (doc) {
  if (!doc.events || !doc.events.length || !doc.townId || !doc.originUnitId) return;
  ${DAY_FN}
  var scopes = ['county', doc.townId];
  function put(fact, d) {
    for (var s = 0; s < scopes.length; s++) {
      var sc = scopes[s];
      ${emitLines}
    }
  }
  ${CASE_FACTS_FN}
}`;
}

// Running cases are keyed by their promised date under `due:<dimension>`, so 超期在办 (due
// before today) is one contiguous range of its own.
const FACTS_EMIT = `var dp = fact === 'openDue' ? 'due:' : '';
      emit([sc, dp + 'all', d, fact, ''], 1);
      if (sc === 'county') emit([sc, dp + 'town', d, fact, doc.townId], 1);
      emit([sc, dp + 'village', d, fact, doc.originUnitId], 1);
      emit([sc, dp + 'matter', d, fact, doc.matterCode], 1);`;

// The counted facts of 'town', 'village' and 'matter' again, by month: a range's whole months
// are read as one row per (month, fact, value) instead of one per day (a year: 12, not 365).
// 'all' is not repeated: its rows are days × facts, and the trend needs the days anyway.
const MONTHS_EMIT = `if (fact === 'openDue') continue;
      var m = d.slice(0, 7);
      if (sc === 'county') emit([sc, 'town', m, fact, doc.townId], 1);
      emit([sc, 'village', m, fact, doc.originUnitId], 1);
      emit([sc, 'matter', m, fact, doc.matterCode], 1);`;

const DRILL_EMIT = `emit([sc, fact, 'all', '', d], null);
      if (sc === 'county') emit([sc, fact, 'town', doc.townId, d], null);
      emit([sc, fact, 'village', doc.originUnitId, d], null);
      emit([sc, fact, 'matter', doc.matterCode, d], null);`;

const SPANS_MAP = `function (doc) {
  if (!doc.events || !doc.townId) return;
  ${DAY_FN}
  var ac = null, cc = null;
  for (var i = 0; i < doc.events.length; i++) {
    var e = doc.events[i];
    if (e.type === 'accept' && !ac) ac = e;
    if (e.type === 'conclude' && !cc) cc = e;
  }
  if (!ac || !cc) return;
  var a = day(ac.hubTime || ac.deviceTime), c = day(cc.hubTime || cc.deviceTime);
  emit(['county', c, a], 1);
  emit([doc.townId, c, a], 1);
}`;

const UPLOADS_MAP = `function (doc) {
  if (!doc.events) return;
  var last = {};
  for (var i = 0; i < doc.events.length; i++) {
    var e = doc.events[i];
    if (!e.hubTime || !e.deviceId) continue;
    var t = Date.parse(e.hubTime);
    if (!last[e.deviceId] || last[e.deviceId] < t) last[e.deviceId] = t;
  }
  for (var d in last) emit(d, last[d]);
}`;

const TICKETS_MAP = `function (doc) {
  if (!doc.ratingEventId || !doc.createdAt) return;
  ${DAY_FN}
  var d = day(doc.createdAt), u = (doc.hubScope && doc.hubScope[0]) || '';
  emit(['tickets', d, u], 1);
  if (doc.status === 'feedback' || doc.status === 'closed') emit(['ticketsRectified', d, u], 1);
  if (doc.status === 'closed') emit(['ticketsCalledBack', d, u], 1);
}`;

const SUPERVISION_MAP = `function (doc) {
  if (doc.kind !== 'overdue' || !doc.issuedAt) return;
  ${DAY_FN}
  emit([doc.resolved ? 'supervisionClosed' : 'supervisionOpen', day(doc.issuedAt), doc.unitId || ''], 1);
}`;

const REFUSALS_MAP = `function (doc) {
  if (!doc.hubTime || !doc.caseId) return;
  ${DAY_FN}
  emit(['refusedWrites', day(doc.hubTime), doc.unitId || ''], 1);
}`;

type Views = Record<string, { map: string; reduce?: string }>;

export const FIGURE_VIEWS: Readonly<Partial<Record<DbKey, Views>>> = {
  cases: {
    facts: { map: caseMap(FACTS_EMIT), reduce: '_sum' },
    months: { map: caseMap(MONTHS_EMIT), reduce: '_sum' },
    drill: { map: caseMap(DRILL_EMIT) },
    spans: { map: SPANS_MAP, reduce: '_sum' },
    uploads: { map: UPLOADS_MAP, reduce: '_stats' },
  },
  tickets: { facts: { map: TICKETS_MAP, reduce: '_sum' } },
  supervision: { facts: { map: SUPERVISION_MAP, reduce: '_sum' } },
  refusals: { facts: { map: REFUSALS_MAP, reduce: '_sum' } },
};

// The fact names in the map functions are the shared ones (a renamed fact fails here).
for (const f of CASE_FACTS) {
  if (f.startsWith('rate')) continue;
  if (!CASE_FACTS_FN.includes(`'${f}'`)) throw new Error(`figure view misses fact ${f}`);
}

interface DesignDoc {
  _id: string;
  _rev?: string;
  language: 'javascript';
  version: number;
  /** CouchDB: `false` keeps its background indexer off this design document. */
  autoupdate?: false;
  views: Views;
}

/** A database's design document as this hub wants it. */
function designDocOf(views: Views): DesignDoc {
  return {
    _id: FIGURES_DDOC,
    language: 'javascript',
    version: FIGURES_VIEW_VERSION,
    autoupdate: false,
    views,
  };
}

/** Whether a stored design document is the wanted one (or a newer hub's). */
function current(existing: DesignDoc, wanted: DesignDoc): boolean {
  if (existing.version > wanted.version) return true;
  return (
    existing.version === wanted.version &&
    existing.autoupdate === wanted.autoupdate &&
    Object.keys(existing.views ?? {})
      .sort()
      .join() === Object.keys(wanted.views).sort().join()
  );
}

/** Installs (or upgrades) one design document. Idempotent, safe to race. */
async function ensureDesignDoc(store: Store, key: DbKey, wanted: DesignDoc): Promise<void> {
  const db = dbName(store.prefix, key);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    let existing: DesignDoc | null = null;
    try {
      existing = await withStoreRetry(() =>
        store.server().request({ db, doc: wanted._id, method: 'GET' }),
      );
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    if (existing && current(existing, wanted)) return;
    const body: DesignDoc = { ...wanted, ...(existing?._rev ? { _rev: existing._rev } : {}) };
    try {
      await withStoreRetry(() =>
        store.server().request({ db, doc: wanted._id, method: 'PUT', body }),
      );
      return;
    } catch (err) {
      if (statusOf(err) !== 409) throw err; // another hub process installed it meanwhile
    }
  }
}

const installed = new WeakMap<Store, Promise<void>>();

/** The figure views of every database, installed once per process (then kept by the store). */
export function ensureFigureViews(store: Store): Promise<void> {
  let pending = installed.get(store);
  if (!pending) {
    pending = (async () => {
      for (const [key, views] of Object.entries(FIGURE_VIEWS) as Array<[DbKey, Views]>) {
        await ensureDesignDoc(store, key, designDocOf(views));
      }
    })();
    pending.catch(() => installed.delete(store));
    installed.set(store, pending);
  }
  return pending;
}

export interface ViewRow<K> {
  key: K;
  value: unknown;
  id?: string;
}

/** Queries a figure view (keys JSON-encoded by nano). */
export async function queryView<K>(
  store: Store,
  key: DbKey,
  view: string,
  qs: Record<string, unknown>,
): Promise<Array<ViewRow<K>>> {
  await ensureFigureViews(store);
  const res = await withStoreRetry(() =>
    store.server().request({
      db: dbName(store.prefix, key),
      path: `${FIGURES_DDOC}/_view/${view}`,
      method: 'GET',
      qs,
    }),
  );
  return (res as { rows: Array<ViewRow<K>> }).rows;
}

/** The database whose `facts` view counts each record fact (tickets, 督办, refused writes). */
export const RECORD_FACT_DB: Record<RecordFact, 'tickets' | 'supervision' | 'refusals'> = {
  tickets: 'tickets',
  ticketsRectified: 'tickets',
  ticketsCalledBack: 'tickets',
  supervisionOpen: 'supervision',
  supervisionClosed: 'supervision',
  refusedWrites: 'refusals',
};

/** One reduced row of a `facts` view: a count on a day. */
export interface DayCount {
  day: string;
  fact: string;
  /** The dimension's value (cases), or the unit (records). */
  value: string;
  n: number;
}

/**
 * Counts of the cases' `facts` view for one scope and dimension over the days `from`..`to`,
 * grouped to (day, fact, value): the one place that reads its key layout back.
 */
export async function caseFactDays(
  store: Store,
  scope: string,
  dim: string,
  from: string,
  to: string,
): Promise<DayCount[]> {
  const rows = await queryView<[string, string, string, string, string]>(store, 'cases', 'facts', {
    startkey: [scope, dim, from],
    endkey: [scope, dim, to, {}],
    group_level: 5,
  });
  return rows.map((r) => ({
    day: r.key[2],
    fact: r.key[3],
    value: r.key[4],
    n: Number(r.value) || 0,
  }));
}

/** Counts of a record fact (tickets, 督办, refused writes) over the days `from`..`to`, by unit. */
export async function recordFactDays(
  store: Store,
  fact: RecordFact,
  from: string,
  to: string,
): Promise<DayCount[]> {
  const rows = await queryView<[string, string, string]>(store, RECORD_FACT_DB[fact], 'facts', {
    startkey: [fact, from],
    endkey: [fact, to, {}],
    group_level: 3,
  });
  return rows.map((r) => ({ day: r.key[1], fact, value: r.key[2], n: Number(r.value) || 0 }));
}
