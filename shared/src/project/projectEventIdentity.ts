/**
 * Identity and order of project events, as for case events: content is everything but
 * hubTime, the fold order is (lamport, id) compared by code unit, and two copies of one id
 * combine by minima so that combining is commutative, associative and idempotent.
 */
import { canonicalJson } from '../case/eventIdentity.js';
import type { ProjectEvent } from './projectTypes.js';

export function projectEventContentKey(event: ProjectEvent): string {
  const { hubTime: _hubTime, ...rest } = event;
  return canonicalJson(rest);
}

export function compareProjectEvents(
  a: Pick<ProjectEvent, 'lamport' | 'id'>,
  b: Pick<ProjectEvent, 'lamport' | 'id'>,
): number {
  if (a.lamport !== b.lamport) return a.lamport < b.lamport ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

export function sortProjectEvents<E extends ProjectEvent>(events: readonly E[]): E[] {
  return [...events].sort(compareProjectEvents);
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a <= b ? a : b;
}

/** The copy with the smaller content key, with the earliest hubTime either copy carries. */
export function combineProjectEventCopies(a: ProjectEvent, b: ProjectEvent): ProjectEvent {
  const base = projectEventContentKey(a) <= projectEventContentKey(b) ? a : b;
  const hubTime = earlier(a.hubTime, b.hubTime);
  const { hubTime: _dropped, ...content } = base;
  return (hubTime === undefined ? content : { ...content, hubTime }) as ProjectEvent;
}
