import { useMemo } from 'react';
import { pinyinInitials, type MatterDoc, type WorkingCalendar } from '@sibantong/shared';
import { useApp } from '../appContext';
import type { LocalOrgUnit } from '../db/docTypes';
import { calendarFromSynced } from '../db/localRules';
import { useRxQuery } from './useRx';

export interface OrgIndex {
  byId: Map<string, LocalOrgUnit>;
  name: (id: string | null | undefined) => string;
  county: LocalOrgUnit | null;
  departments: LocalOrgUnit[];
  parentOf: (id: string) => LocalOrgUnit | null;
}

export function useOrgUnits(): OrgIndex {
  const { db } = useApp();
  const { docs } = useRxQuery(db.orgUnits);
  return useMemo(() => {
    const byId = new Map(docs.map((u) => [u.id, u]));
    return {
      byId,
      name: (id) => (id ? (byId.get(id)?.name ?? id) : '—'),
      county: docs.find((u) => u.level === 'county') ?? null,
      departments: docs.filter((u) => u.level === 'department'),
      parentOf: (id) => {
        const p = byId.get(id)?.parentId;
        return p ? (byId.get(p) ?? null) : null;
      },
    };
  }, [docs]);
}

/**
 * A catalogue matter as synced (the shared `MatterDoc`, validated by the hub), with what the
 * screens read often spelt out: its code (the document id, what cases store as `matterCode`),
 * pinyin initials for search (shared `pinyinInitials` when the catalogue has none), and
 * whether the village completes it on the spot (即办 here; an immediate matter of the town is
 * still forwarded).
 */
export type CatalogueMatter = MatterDoc & {
  code: string;
  pinyinInitials: string;
  immediate: boolean;
};

export function toCatalogueMatter(doc: MatterDoc): CatalogueMatter {
  return {
    ...doc,
    code: doc.id,
    pinyinInitials: doc.pinyinInitials || pinyinInitials(doc.name ?? ''),
    immediate: doc.villageMode === 'direct_complete',
    materials: Array.isArray(doc.materials) ? doc.materials : [],
  };
}

export function useMatters(): {
  list: CatalogueMatter[];
  byCode: Map<string, CatalogueMatter>;
  loading: boolean;
} {
  const { db } = useApp();
  const { docs, loading } = useRxQuery(db.matters);
  return useMemo(() => {
    const list = docs.map(toCatalogueMatter);
    return { list, byCode: new Map(list.map((m) => [m.code, m] as const)), loading };
  }, [docs, loading]);
}

/** The holiday calendar as synced from the hub (never the built-in seed): see localRules.ts. */
export function useCalendar(): WorkingCalendar {
  const { db } = useApp();
  const { docs } = useRxQuery(db.calendars);
  return useMemo(() => calendarFromSynced(docs), [docs]);
}
