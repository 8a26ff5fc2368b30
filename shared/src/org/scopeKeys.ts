/**
 * Scope keys: a coarse, index-friendly form of the scope rule. Every case carries a few keys
 * (its units, the departments ever asked to assist, the units it left behind, and the county
 * key) and every actor a few keys; a case is *possibly* in an actor's scope, or possibly owed
 * to them as a removal, only when the two sets intersect. The keys are a superset test, never
 * the decision: the hub still applies `canSee` and its removal rule to every candidate.
 *
 * The keys of a case depend on the document alone (not on the org tree), so an index built
 * from them stays valid when units are added or renamed.
 */
import type { OrgDirectory } from './orgDirectory.js';
import type { Actor } from './orgTypes.js';
import { caseScopeOf, type ScopedCase } from './scope.js';

/** Every case carries it; county-scope actors hold it. */
export const COUNTY_SCOPE_KEY = '*';

const unitKey = (unitId: string): string => `u:${unitId}`;

/** The case fields the keys read: a stored CaseDoc satisfies it. */
export type KeyedCase = ScopedCase & { formerUnitIds?: readonly string[] | null };

/**
 * Units whose former presence on a case (`formerUnitIds`) means a user's devices may hold a
 * copy that must be removed: the user's own unit, and for a town lead the town's villages too.
 */
export function removalUnitsOf(actor: Actor, org: OrgDirectory): string[] {
  const scope = caseScopeOf(actor, org);
  switch (scope.kind) {
    case 'village':
      return [scope.villageId];
    case 'town':
      // A town lead's devices also hold the cases of the town's villages.
      return [scope.townId, ...org.childrenOf(scope.townId).map((u) => u.id)];
    case 'department':
      return [scope.departmentId];
    case 'county':
      return [scope.countyId];
    case 'none':
      return [];
  }
}

/** Keys of a case: read defensively (a stored document may predate a field). */
export function caseScopeKeys(doc: KeyedCase): string[] {
  const keys = new Set<string>([COUNTY_SCOPE_KEY]);
  const add = (u: unknown) => {
    if (typeof u === 'string' && u) keys.add(unitKey(u));
  };
  add(doc.originUnitId);
  add(doc.holderUnitId);
  add(doc.townId);
  if (Array.isArray(doc.assistingDeptIds)) doc.assistingDeptIds.forEach(add);
  if (Array.isArray(doc.formerUnitIds)) doc.formerUnitIds.forEach(add);
  if (Array.isArray(doc.events)) {
    for (const e of doc.events) {
      if (e && e.type === 'request_assistance' && Array.isArray(e.payload?.departmentIds)) {
        e.payload.departmentIds.forEach(add);
      }
    }
  }
  return [...keys];
}

/** Keys of an actor: a case whose keys meet these may be visible to them or owed as a removal. */
export function actorScopeKeys(actor: Actor, org: OrgDirectory): string[] {
  const scope = caseScopeOf(actor, org);
  switch (scope.kind) {
    case 'none':
      return [];
    case 'county':
      return [COUNTY_SCOPE_KEY];
    case 'village':
    case 'town':
    case 'department':
      return removalUnitsOf(actor, org).map(unitKey);
  }
}
