/**
 * Merging two replicas of one project: the union of their events by id (histories are
 * append-only), derived fields recomputed. Nothing either replica wrote is dropped; an event
 * that became illegal through a race stays in the history, void.
 */
import { DomainError } from '../errors/domainError.js';
import { dedupeProjectEvents, deriveProjectState, projectFieldsOf } from './projectMachine.js';
import type { ProjectDoc, ProjectEvent } from './projectTypes.js';

export function mergeProjectHistories(
  a: readonly ProjectEvent[],
  b: readonly ProjectEvent[],
): ProjectEvent[] {
  return dedupeProjectEvents([...a, ...b]);
}

/** A document for `events`: derived fields from the fold, `updatedAt` as given. */
export function projectDocOf(
  id: string,
  events: readonly ProjectEvent[],
  updatedAt: string,
): ProjectDoc {
  const sorted = dedupeProjectEvents(events);
  const fields = projectFieldsOf(deriveProjectState(sorted));
  if (!fields) {
    throw new DomainError('PROJECT_NOT_REGISTERED', '项目没有有效的登记事件', { id });
  }
  return { id, ...fields, events: sorted, updatedAt };
}

/** Merges two versions of one project document. Commutative, associative, idempotent. */
export function mergeProjectDocs(a: ProjectDoc, b: ProjectDoc): ProjectDoc {
  if (a.id !== b.id) {
    throw new DomainError('PROJECT_ID_MISMATCH', '不能合并两个不同的项目', { a: a.id, b: b.id });
  }
  const updatedAt = a.updatedAt >= b.updatedAt ? a.updatedAt : b.updatedAt;
  return projectDocOf(a.id, mergeProjectHistories(a.events, b.events), updatedAt);
}
