/**
 * Scope decisions of the hub, built on the shared rule (`canSee`) so the client and the hub
 * agree on what a user may see.
 */
import type { Actor, CaseDoc } from '@sibantong/shared';
import { removalUnitsOf as unitsOf } from '@sibantong/shared/org/scopeKeys';
import { canSee, caseScopeOf, type OrgDirectory } from './sharedCompat.js';

export type ScopeVerdict = 'visible' | 'removal' | 'hidden';

/**
 * `visible`: send the document. `removal`: the case was once in this user's scope (a unit of
 * theirs is in `formerUnitIds`) and no longer is, so their devices must drop it. `hidden`:
 * never theirs; nothing is sent, not even its id.
 */
export function scopeVerdict(actor: Actor, doc: CaseDoc, org: OrgDirectory): ScopeVerdict {
  if (canSee(actor, doc, org)) return 'visible';
  const former = Array.isArray(doc.formerUnitIds) ? doc.formerUnitIds : [];
  if (former.length === 0) return 'hidden';
  const mine = unitsOf(actor, org);
  return former.some((u) => mine.includes(u)) ? 'removal' : 'hidden';
}

/**
 * Tickets (差评 follow-ups) and supervision records (预警/督办) carry a hub-only `hubScope`
 * (the case's units when the record was raised). County roles see all; units see their own.
 */
export interface ScopedRecord {
  id: string;
  hubScope?: string[];
}

export function canSeeRecord(actor: Actor, rec: ScopedRecord, org: OrgDirectory): boolean {
  const scope = caseScopeOf(actor, org);
  if (scope.kind === 'county') return true;
  const mine = unitsOf(actor, org);
  return (rec.hubScope ?? []).some((u) => mine.includes(u));
}
