/**
 * Read-only lookup over one county's org tree. Scope and the case machine need to walk from a
 * village to its town and county; a flat list from the hub is turned into this once.
 */
import type { OrgLevel, OrgUnit } from './orgTypes.js';

export interface OrgDirectory {
  readonly units: readonly OrgUnit[];
  unit(id: string): OrgUnit | undefined;
  parentOf(id: string): OrgUnit | undefined;
  childrenOf(id: string): readonly OrgUnit[];
  /** The town a village belongs to, or the town itself; undefined for other levels. */
  townOf(id: string): OrgUnit | undefined;
  /** The county at the root of the unit's chain of parents. */
  countyOf(id: string): OrgUnit | undefined;
  isLevel(id: string, level: OrgLevel): boolean;
}

// A corrupt tree (a parent cycle) must not hang a hub request, so walks are bounded.
const MAX_DEPTH = 8;

export function createOrgDirectory(units: readonly OrgUnit[]): OrgDirectory {
  const byId = new Map<string, OrgUnit>();
  const children = new Map<string, OrgUnit[]>();
  for (const unit of units) byId.set(unit.id, unit);
  for (const unit of byId.values()) {
    if (unit.parentId === null) continue;
    const list = children.get(unit.parentId) ?? [];
    list.push(unit);
    children.set(unit.parentId, list);
  }

  const parentOf = (id: string): OrgUnit | undefined => {
    const parentId = byId.get(id)?.parentId;
    return parentId == null ? undefined : byId.get(parentId);
  };

  const findAncestor = (id: string, level: OrgLevel): OrgUnit | undefined => {
    let current = byId.get(id);
    for (let depth = 0; current && depth < MAX_DEPTH; depth += 1) {
      if (current.level === level) return current;
      current = current.parentId === null ? undefined : byId.get(current.parentId);
    }
    return undefined;
  };

  return {
    units: [...byId.values()],
    unit: (id) => byId.get(id),
    parentOf,
    childrenOf: (id) => children.get(id) ?? [],
    townOf: (id) => {
      const unit = byId.get(id);
      if (!unit || (unit.level !== 'village' && unit.level !== 'town')) return undefined;
      return findAncestor(id, 'town');
    },
    countyOf: (id) => findAncestor(id, 'county'),
    isLevel: (id, level) => byId.get(id)?.level === level,
  };
}
