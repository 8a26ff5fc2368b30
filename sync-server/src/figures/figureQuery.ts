/**
 * Reads the cockpit's figures from the views (figureViews.ts): every query is a range of
 * reduced rows grouped to (day or whole month, unit or matter), so the work grows with the days,
 * months and units asked for, not with the number of cases. Names, departments (a matter's implementing unit)
 * and towns of records come from the reference data in memory.
 */
import {
  CASE_FACTS,
  DIMENSIONS,
  RECORD_FACTS,
  STALE_DEVICE_DAYS,
  periodOf,
  periodsBetween,
  type CaseFact,
  type Dimension,
  type FigureCounts,
  type FigureMetric,
  type FiguresResponse,
  type Grain,
  type RecordFact,
  type StaleDevice,
} from '@sibantong/shared';
import { chinaDate, workingDayCounter } from '@sibantong/shared';
import { dayNumberToIsoDate, requireDayNumber } from '@sibantong/shared/calendar/isoDate';
import { listDevices } from '../auth/devices.js';
import type { RefSnapshot } from '../domain/refData.js';
import type { Store } from '../store/store.js';
import type { FigureSource } from './figureSource.js';
import { caseFactDays, queryView, recordFactDays } from './figureViews.js';
import {
  DEVICES_ID,
  dayId,
  dueId,
  lastDayOf,
  monthId,
  readAggregates,
  recordDayId,
  type DayAggregate,
  type DevicesAggregate,
  type DueAggregate,
  type FactTable,
  type MonthAggregate,
  type RecordDayAggregate,
} from './figureAggregates.js';
import { limited } from '../store/limited.js';

export interface FigureScope {
  kind: 'county' | 'town';
  unitId: string;
}

/** The view's scope key: 'county', or the town's id. */
export const scopeKeyOf = (s: FigureScope): string => (s.kind === 'county' ? 'county' : s.unitId);

/** Counted case facts (openDue is read as 超期在办, below). */
const RANGE_FACTS = CASE_FACTS.filter((f): f is Exclude<CaseFact, 'openDue'> => f !== 'openDue');

const add = (c: FigureCounts, m: FigureMetric, n: number) => {
  c[m] = (c[m] ?? 0) + n;
};

/** Department answerable for a matter (its implementing unit when a department). */
export function departmentOfMatter(ref: RefSnapshot, matterCode: string): string {
  const m = ref.matters.get(matterCode);
  const unit = typeof m?.implementingUnitId === 'string' ? m.implementingUnitId : '';
  return unit && ref.org.unit(unit)?.level === 'department' ? unit : 'other';
}

/** True when a unit's records belong to the scope (a town lead: the town and its villages). */
function unitInScope(ref: RefSnapshot, scope: FigureScope, unitId: string): boolean {
  if (scope.kind === 'county') return true;
  return ref.org.townOf(unitId)?.id === scope.unitId;
}

export interface FigureQuery {
  from: string;
  to: string;
  grain: Grain;
  now: Date;
}

export async function readFigures(
  store: Store,
  source: FigureSource,
  ref: RefSnapshot,
  scope: FigureScope,
  q: FigureQuery,
): Promise<Omit<FiguresResponse, 'scope' | 'staleDevices'>> {
  const sk = scopeKeyOf(scope);
  const totals: FigureCounts = {};
  const trend = new Map<string, FigureCounts>(
    periodsBetween(q.from, q.to, q.grain).map((p) => [p, {}]),
  );
  const byDim: Record<Dimension, Map<string, FigureCounts>> = {
    town: new Map(),
    village: new Map(),
    department: new Map(),
    matter: new Map(),
  };
  // A long range tallies a few hundred thousand entries: what each one is looked up by (its
  // period, a matter's department, a unit's place) is computed once per request.
  const periods = new Map<string, string>();
  const periodFor = (day: string) => {
    let p = periods.get(day);
    if (p === undefined) periods.set(day, (p = periodOf(day, q.grain)));
    return p;
  };
  const departments = new Map<string, string>();
  const departmentFor = (matter: string) => {
    let d = departments.get(matter);
    if (d === undefined) departments.set(matter, (d = departmentOfMatter(ref, matter)));
    return d;
  };
  const bump = (dim: Dimension, key: string, m: FigureMetric, n: number) => {
    let row = byDim[dim].get(key);
    if (!row) byDim[dim].set(key, (row = {}));
    add(row, m, n);
  };
  const viewDims: Array<'all' | 'village' | 'matter' | 'town'> = [
    'all',
    'village',
    'matter',
    ...(scope.kind === 'county' ? (['town'] as const) : []),
  ];
  const tasks: Array<() => Promise<void>> = [];
  const counted = new Set<string>(RANGE_FACTS);
  const tally = (
    dim: (typeof viewDims)[number],
    fact: FigureMetric,
    day: string | null,
    value: string,
    n: number,
  ) => {
    if (dim === 'all') {
      add(totals, fact, n);
      const p = day === null ? undefined : trend.get(periodFor(day));
      if (p) add(p, fact, n);
    } else if (dim === 'matter') {
      bump('matter', value, fact, n);
      bump('department', departmentFor(value), fact, n);
    } else {
      bump(dim, value, fact, n);
    }
  };
  const today = chinaDate(q.now);
  // Records of the hub (tickets, 督办, refused writes): per day and unit, scoped in memory.
  const recordUnits = new Map<string, { town?: string; level?: string } | null>();
  const recordUnit = (unit: string) => {
    let u = recordUnits.get(unit);
    if (u === undefined) {
      u = unitInScope(ref, scope, unit)
        ? { town: ref.org.townOf(unit)?.id, level: ref.org.unit(unit)?.level }
        : null;
      recordUnits.set(unit, u);
    }
    return u;
  };
  const tallyRecord = (fact: RecordFact, day: string, unit: string, n: number) => {
    const u = recordUnit(unit);
    if (!u) return;
    add(totals, fact, n);
    const p = trend.get(periodFor(day));
    if (p) add(p, fact, n);
    if (u.town && scope.kind === 'county') bump('town', u.town, fact, n);
    if (u.level === 'village') bump('village', unit, fact, n);
    if (u.level === 'department') bump('department', unit, fact, n);
  };
  let spanDays = 0;
  let spanCases = 0;
  const workingDays = workingDayCounter(ref.calendar);
  const tallySpan = (concluded: string, accepted: string, n: number) => {
    spanDays += Math.max(0, workingDays(accepted, concluded)) * n;
    spanCases += n;
  };

  if (source === 'aggregates') {
    // The hub's aggregates (figureAggregates.ts): a document per whole month of the range; for
    // a partial month, a document per day in the range, or, when the range holds most of the
    // month, the month less the days outside (outsideDays).
    const { months, dayRanges } = splitRange(q.from, q.to);
    /**
     * A document's facts into the figures; `sign` -1 takes them back out. Without a day, only
     * the breakdowns (a month's 'all' is by day, in `daily`; a day taken out of its month
     * leaves the month's trend, which is filtered to the range instead).
     */
    const tallyFacts = (facts: FactTable, day: string | null, sign: 1 | -1) => {
      for (const dim of viewDims) {
        if (dim === 'all' && day === null) continue;
        for (const [fact, values] of Object.entries(facts[dim] ?? {})) {
          if (!counted.has(fact)) continue;
          for (const [value, n] of Object.entries(values)) {
            tally(dim, fact as FigureMetric, day, value, sign * n);
          }
        }
      }
    };
    const tallyDay = (d: DayAggregate) => {
      tallyFacts(d.facts, d.day, 1);
      for (const [accepted, n] of Object.entries(d.spans)) tallySpan(d.day, accepted, n);
    };
    /** A month's figures, its trend and spans only for the days from `a` to `b`. */
    const tallyMonth = (m: MonthAggregate, a = '', b = '\uffff') => {
      tallyFacts(m.facts, null, 1);
      for (const [day, byFact] of Object.entries(m.daily)) {
        if (day < a || day > b) continue;
        for (const [fact, n] of Object.entries(byFact)) {
          if (counted.has(fact)) tally('all', fact as FigureMetric, day, '', n);
        }
      }
      for (const [pair, n] of Object.entries(m.spans)) {
        const [concluded, accepted] = pair.split(' ') as [string, string];
        if (concluded >= a && concluded <= b) tallySpan(concluded, accepted, n);
      }
    };
    const readDays = (a: string, b: string) =>
      readAggregates<DayAggregate>(store, dayId(sk, a), dayId(sk, b));
    for (const [a, b] of dayRanges) {
      const outside = outsideDays(a, b);
      tasks.push(async () => {
        if (outside) {
          // Most of the month: the month, less the few days outside the range, when the month
          // was summed from those days as they are now (else it is behind them: read by day).
          const [[month], ...rest] = await Promise.all([
            readAggregates<MonthAggregate>(
              store,
              monthId(sk, a.slice(0, 7)),
              monthId(sk, a.slice(0, 7)),
            ),
            ...outside.map(([x, y]) => readDays(x, y)),
          ]);
          const days = rest.flat();
          if (month && monthHolds(month, days, a, b)) {
            tallyMonth(month, a, b);
            for (const d of days) tallyFacts(d.facts, null, -1);
            return;
          }
        }
        for (const d of await readDays(a, b)) tallyDay(d);
      });
    }
    if (months.length > 0) {
      tasks.push(async () => {
        const wanted = new Set(months);
        const docs = await readAggregates<MonthAggregate>(
          store,
          monthId(sk, months[0]!),
          monthId(sk, months[months.length - 1]!),
        );
        for (const m of docs) if (wanted.has(m.month)) tallyMonth(m);
      });
    }
    tasks.push(async () => {
      const [due] = await readAggregates<DueAggregate>(store, dueId(sk), dueId(sk));
      for (const dim of viewDims) {
        for (const [day, value, n] of due?.due[dim] ?? []) {
          if (day < today) tally(dim, 'overdueOpen', null, value, n);
        }
      }
    });
    tasks.push(async () => {
      for (const d of await readAggregates<RecordDayAggregate>(
        store,
        recordDayId(q.from),
        recordDayId(q.to),
      )) {
        for (const fact of RECORD_FACTS) {
          for (const [unit, n] of Object.entries(d.facts[fact] ?? {})) {
            tallyRecord(fact, d.day, unit, n);
          }
        }
      }
    });
    await limited(4, tasks);
    return answer();
  }

  // Per dimension: every fact grouped to (day, fact, value) — for the breakdowns only over the
  // days at the range's ends, its whole months grouped to (month, fact, value) instead.
  // HUB_FIGURE_MONTHS=off: every day from `facts` (comparisons in bench:figures, diagnosis).
  const { months, dayRanges } =
    process.env.HUB_FIGURE_MONTHS === 'off'
      ? { months: [], dayRanges: [[q.from, q.to] as [string, string]] }
      : splitRange(q.from, q.to);
  for (const dim of viewDims) {
    const byDay: Array<[string, string]> = dim === 'all' ? [[q.from, q.to]] : dayRanges;
    for (const [a, b] of byDay) {
      tasks.push(async () => {
        for (const r of await caseFactDays(store, sk, dim, a, b)) {
          if (counted.has(r.fact)) tally(dim, r.fact as FigureMetric, r.day, r.value, r.n);
        }
      });
    }
    if (dim === 'all' || months.length === 0) continue;
    tasks.push(async () => {
      const rows = await queryView<[string, string, string, string, string]>(
        store,
        'cases',
        'months',
        {
          startkey: [sk, dim, months[0]!],
          endkey: [sk, dim, months[months.length - 1]!, {}],
          group_level: 5,
        },
      );
      for (const r of rows) {
        const [, , , fact, value] = r.key;
        if (counted.has(fact)) tally(dim, fact as FigureMetric, null, value, Number(r.value) || 0);
      }
    });
  }
  // 超期在办: running cases whose promised date lies before today, whatever the range.
  for (const dim of viewDims) {
    tasks.push(async () => {
      const rows = await queryView<[string, string, string, string, string]>(
        store,
        'cases',
        'facts',
        {
          startkey: [sk, `due:${dim}`, ''],
          endkey: [sk, `due:${dim}`, today],
          inclusive_end: false,
          group_level: 5,
        },
      );
      for (const r of rows) tally(dim, 'overdueOpen', null, r.key[4], Number(r.value) || 0);
    });
  }
  for (const fact of RECORD_FACTS) {
    tasks.push(async () => {
      for (const r of await recordFactDays(store, fact, q.from, q.to)) {
        tallyRecord(fact, r.day, r.value, r.n);
      }
    });
  }
  tasks.push(async () => {
    const rows = await queryView<[string, string, string]>(store, 'cases', 'spans', {
      startkey: [sk, q.from],
      endkey: [sk, q.to, {}],
      group_level: 3,
    });
    for (const r of rows) tallySpan(r.key[1], r.key[2], Number(r.value) || 0);
  });
  await limited(8, tasks);
  return answer();

  function answer(): Omit<FiguresResponse, 'scope' | 'staleDevices'> {
    const breakdown = {} as FiguresResponse['breakdown'];
    for (const dim of DIMENSIONS) {
      // A month less its days outside the range leaves zeros where only those days counted.
      for (const [key, counts] of byDim[dim]) {
        for (const m of Object.keys(counts) as FigureMetric[])
          if (counts[m] === 0) delete counts[m];
        if (Object.keys(counts).length === 0) byDim[dim].delete(key);
      }
      breakdown[dim] = [...byDim[dim].entries()]
        .map(([key, counts]) => ({ key, name: nameOf(ref, dim, key), counts }))
        .sort(
          (a, b) =>
            (b.counts.received ?? 0) - (a.counts.received ?? 0) || a.key.localeCompare(b.key),
        );
    }
    return {
      from: q.from,
      to: q.to,
      grain: q.grain,
      asOf: q.now.toISOString(),
      totals,
      avgWorkingDays: spanCases > 0 ? Math.round((spanDays / spanCases) * 10) / 10 : null,
      trend: [...trend.entries()].map(([period, counts]) => ({ period, counts })),
      breakdown,
    };
  }
}

/** The whole months inside a range, and the ranges of days left at its ends. */
export function splitRange(
  from: string,
  to: string,
): { months: string[]; dayRanges: Array<[string, string]> } {
  const months: string[] = [];
  const dayRanges: Array<[string, string]> = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = nextMonthOf(m)) {
    const first = `${m}-01`;
    const last = lastDayOf(m);
    if (from <= first && last <= to) months.push(m);
    else dayRanges.push([from > first ? from : first, to < last ? to : last]);
  }
  return { months, dayRanges };
}

/**
 * For the days `a`..`b` of one month: the ranges of its days outside them, when reading the
 * month and those is fewer documents than reading the days inside; else null.
 */
export function outsideDays(a: string, b: string): Array<[string, string]> | null {
  const first = `${a.slice(0, 7)}-01`;
  const last = lastDayOf(a.slice(0, 7));
  const day = requireDayNumber;
  const inside = day(b) - day(a) + 1;
  const outside = day(last) - day(first) + 1 - inside;
  if (outside + 1 >= inside) return null;
  const out: Array<[string, string]> = [];
  if (a > first) out.push([first, dayNumberToIsoDate(day(a) - 1)]);
  if (b < last) out.push([dayNumberToIsoDate(day(b) + 1), last]);
  return out;
}

/**
 * True when a month was summed from exactly these day documents outside `a`..`b` as they are
 * now: its figures less theirs are then those of its days inside. False when a day outside
 * changed (or appeared) after the month was written — the month is behind.
 */
export function monthHolds(
  month: MonthAggregate,
  outside: readonly DayAggregate[],
  a: string,
  b: string,
): boolean {
  const read = new Map(outside.map((d) => [d.day, d.stamp]));
  for (const [day, stamp] of read) if (month.stamps?.[day] !== stamp) return false;
  for (const day of Object.keys(month.stamps ?? {})) {
    if ((day < a || day > b) && !read.has(day)) return false;
  }
  return true;
}

function nextMonthOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function nameOf(ref: RefSnapshot, dim: Dimension, key: string): string {
  if (dim === 'matter') {
    const name = ref.matters.get(key)?.name;
    return typeof name === 'string' ? name : key;
  }
  if (key === 'other') return '其他（县直）';
  return ref.org.unit(key)?.name ?? key;
}

/** Device → hub time (ms) of its latest event: the hub's aggregate, or the view. */
async function lastUploads(store: Store, source: FigureSource): Promise<Map<string, number>> {
  if (source === 'aggregates') {
    const [d] = await readAggregates<DevicesAggregate>(store, DEVICES_ID, DEVICES_ID);
    return new Map(Object.entries(d?.last ?? {}));
  }
  const rows = await queryView<string>(store, 'cases', 'uploads', { group: true });
  return new Map(rows.map((r) => [r.key, Number((r.value as { max?: number }).max)]));
}

/** Village PCs (in scope) whose latest upload is older than STALE_DEVICE_DAYS, oldest first. */
export async function staleDevices(
  store: Store,
  source: FigureSource,
  ref: RefSnapshot,
  scope: FigureScope,
  now: Date,
): Promise<StaleDevice[]> {
  const [devices, last] = await Promise.all([listDevices(store), lastUploads(store, source)]);
  const out: StaleDevice[] = [];
  const limit = STALE_DEVICE_DAYS * 86_400_000;
  for (const d of devices) {
    if (d.revokedAt) continue;
    const unit = ref.org.unit(d.orgUnitId);
    if (unit?.level !== 'village' || !unitInScope(ref, scope, unit.id)) continue;
    const at = last.get(d.deviceId);
    const since = at ?? Date.parse(d.enrolledAt);
    if (now.getTime() - since < limit) continue;
    out.push({
      deviceId: d.deviceId,
      name: d.name,
      unitId: unit.id,
      unitName: unit.name,
      lastUpload: at ? new Date(at).toISOString() : null,
      days: at ? Math.floor((now.getTime() - at) / 86_400_000) : null,
    });
  }
  return out.sort((a, b) => (a.lastUpload ?? '').localeCompare(b.lastUpload ?? ''));
}
