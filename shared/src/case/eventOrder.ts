/** The one order every replica folds events in: (lamport, id), both compared exactly. */
import type { CaseEvent } from './caseTypes.js';

export function compareEvents(
  a: Pick<CaseEvent, 'lamport' | 'id'>,
  b: Pick<CaseEvent, 'lamport' | 'id'>,
): number {
  if (a.lamport !== b.lamport) return a.lamport < b.lamport ? -1 : 1;
  // Code-unit comparison, not localeCompare: the order must not depend on the machine's locale.
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

export function sortEvents<E extends CaseEvent>(events: readonly E[]): E[] {
  return [...events].sort(compareEvents);
}
