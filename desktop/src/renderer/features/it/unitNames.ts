/** Unit labels and the unit picker's options, from the hub's unit list. */
import type { OrgUnit } from '@sibantong/shared';

const LEVEL_ZH: Record<string, string> = {
  county: '县',
  town: '镇街',
  village: '村（社区）',
  department: '部门',
};

export function unitLabel(units: readonly OrgUnit[] | null, id: string): string {
  const u = units?.find((x) => x.id === id);
  return u ? u.name : id;
}

/** Options grouped under their town, searchable by name or id. */
export function unitOptions(units: readonly OrgUnit[]) {
  const byParent = (p: string | null) => units.filter((u) => u.parentId === p);
  const out: { value: string; label: string }[] = [];
  const walk = (u: OrgUnit, depth: number) => {
    out.push({
      value: u.id,
      label: `${'　'.repeat(depth)}${u.name}（${LEVEL_ZH[u.level] ?? u.level}，${u.id}）`,
    });
    for (const c of byParent(u.id)) walk(c, depth + 1);
  };
  for (const root of byParent(null)) walk(root, 0);
  return out;
}

export interface UnitTreeNode {
  key: string;
  title: string;
  children: UnitTreeNode[];
}

export function unitTree(units: readonly OrgUnit[]): UnitTreeNode[] {
  const node = (u: OrgUnit): UnitTreeNode => ({
    key: u.id,
    title: `${u.name}（${LEVEL_ZH[u.level] ?? u.level} · ${u.id}）`,
    children: units.filter((c) => c.parentId === u.id).map(node),
  });
  return units.filter((u) => u.parentId === null).map(node);
}
