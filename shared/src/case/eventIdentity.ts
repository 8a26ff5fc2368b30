/**
 * Content identity of an event. Two copies of one event id are "the same" when everything but
 * hubTime matches (hubTime is stamped later and differs legitimately between replicas).
 */
import type { CaseEvent } from './caseTypes.js';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Canonical JSON of the event without hubTime; equal strings mean equal content. */
export function eventContentKey(event: CaseEvent): string {
  const { hubTime: _hubTime, ...rest } = event;
  return canonical(rest);
}

export function canonicalJson(value: unknown): string {
  return canonical(value);
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a <= b ? a : b;
}

/**
 * Combines two copies of one event id: the content with the smaller key (an arbitrary but
 * replica-independent choice) and the earliest hubTime either copy carries. Both choices are
 * minima, so the combination is commutative, associative and idempotent.
 */
export function combineEventCopies(a: CaseEvent, b: CaseEvent): CaseEvent {
  const base = eventContentKey(a) <= eventContentKey(b) ? a : b;
  const hubTime = earlier(a.hubTime, b.hubTime);
  const { hubTime: _dropped, ...content } = base;
  return (hubTime === undefined ? content : { ...content, hubTime }) as CaseEvent;
}
