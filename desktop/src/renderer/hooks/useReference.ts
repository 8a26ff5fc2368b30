import { useMemo } from 'react';
import { pinyin } from 'pinyin-pro';
import { useApp } from '../appContext';
import type { LocalOrgUnit } from '../db/docTypes';
import { toMatterView, type MatterView } from '../domain/matters';
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

export function useMatters(): {
  list: MatterView[];
  byCode: Map<string, MatterView>;
  loading: boolean;
} {
  const { db } = useApp();
  const { docs, loading } = useRxQuery(db.matters);
  return useMemo(() => {
    const list = docs.map((d) => {
      const v = toMatterView(d);
      // Catalogue entries may lack initials: derive them so "ylbx" finds 养老保险….
      if (!v.pinyinInitials && v.name)
        v.pinyinInitials = pinyin(v.name, {
          pattern: 'first',
          toneType: 'none',
          type: 'array',
          nonZh: 'removed',
        }).join('');
      return v;
    });
    return {
      list,
      byCode: new Map(list.flatMap((m) => [[m.code, m] as const, [m.id, m] as const])),
      loading,
    };
  }, [docs, loading]);
}
