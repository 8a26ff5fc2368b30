/**
 * Which cases a user may see. The hub uses the same rule to decide what a device pulls and
 * what it must remove, so the rule is data (CaseScope) as well as a predicate (canSee).
 */
import type { CaseDoc } from '../case/caseTypes.js';
import type { OrgDirectory } from './orgDirectory.js';
import type { Actor } from './orgTypes.js';

export type CaseScope =
  | { kind: 'none' }
  | { kind: 'village'; villageId: string }
  | { kind: 'town'; townId: string }
  | { kind: 'county'; countyId: string }
  | { kind: 'department'; departmentId: string };

/** The fields of a case the scope rule reads: a pushed or stored CaseDoc satisfies it. */
export type ScopedCase = Pick<
  CaseDoc,
  'originUnitId' | 'holderUnitId' | 'townId' | 'assistingDeptIds' | 'events'
>;

/**
 * Resolves the actor's scope against the org tree. An actor whose unit does not match the
 * level their role needs sees nothing: a misconfigured account must fail closed.
 */
export function caseScopeOf(actor: Actor, org: OrgDirectory): CaseScope {
  const unit = org.unit(actor.orgUnitId);
  if (!unit) return { kind: 'none' };
  switch (actor.role) {
    case 'village_helper':
      return unit.level === 'village' ? { kind: 'village', villageId: unit.id } : { kind: 'none' };
    case 'town_lead':
      return unit.level === 'town' ? { kind: 'town', townId: unit.id } : { kind: 'none' };
    case 'centre_agent':
    case 'supervisor':
      return unit.level === 'county' ? { kind: 'county', countyId: unit.id } : { kind: 'none' };
    case 'dept_assistant':
      return unit.level === 'department'
        ? { kind: 'department', departmentId: unit.id }
        : { kind: 'none' };
    case 'it_admin':
      // IT runs the system; it never needs citizens' data.
      return { kind: 'none' };
  }
}

/** True when the department was ever asked for 协办 on this case, even if it already replied. */
export function departmentInvolved(caseDoc: ScopedCase, departmentId: string): boolean {
  if (caseDoc.assistingDeptIds.includes(departmentId)) return true;
  return caseDoc.events.some(
    (event) =>
      event.type === 'request_assistance' &&
      Array.isArray(event.payload.departmentIds) &&
      event.payload.departmentIds.includes(departmentId),
  );
}

export function caseInScope(scope: CaseScope, caseDoc: ScopedCase, org: OrgDirectory): boolean {
  switch (scope.kind) {
    case 'none':
      return false;
    case 'village':
      return caseDoc.originUnitId === scope.villageId || caseDoc.holderUnitId === scope.villageId;
    case 'town':
      return caseDoc.townId === scope.townId || caseDoc.holderUnitId === scope.townId;
    case 'county':
      return (
        org.countyOf(caseDoc.originUnitId)?.id === scope.countyId ||
        org.countyOf(caseDoc.holderUnitId)?.id === scope.countyId
      );
    case 'department':
      return departmentInvolved(caseDoc, scope.departmentId);
  }
}

export function canSee(actor: Actor, caseDoc: ScopedCase, org: OrgDirectory): boolean {
  return caseInScope(caseScopeOf(actor, org), caseDoc, org);
}
