import type { CaseDoc } from '@sibantong/shared';

/**
 * Ids of events refused in this session (by the hub, or by this device when the hub's newer
 * copy of a case no longer admits them). The conflict handler must not merge them back into
 * the case (they live in the `refusals` collection instead), or the refused write would be
 * pushed again forever and block nothing but waste every sync round.
 */
const refused = new Set<string>();
export function markEventsRefused(ids: readonly string[]): void {
  for (const id of ids) refused.add(id);
}
export function isEventRefused(id: string): boolean {
  return refused.has(id);
}

/** Local events taken out of a case, to be kept visibly in the device's `refusals`. */
export interface LocalRefusal {
  /** The case as this device had it, refused events included. */
  caseSnapshot: CaseDoc;
  code: string;
  message: string;
  refusedEventIds: string[];
}

type Sink = (r: LocalRefusal) => Promise<void>;

/**
 * Where a device's refusals are stored. The conflict handler is one object for the whole
 * collection and knows no database; the events it takes out were made on one device (an
 * event not yet on the hub can only come from the device holding it), and that device's sync
 * engine registers the writer for them. Until it does, refusals wait here: never dropped.
 *
 * An event made under an earlier enrolment of this PC (another device id) goes to the engine
 * running here when it is the only one: waiting in memory for a device that will never start
 * again, it would be lost when the app quits. A write that fails is tried again.
 */
const sinks = new Map<string, Sink>();
const waiting: LocalRefusal[] = [];
/** A refusal whose write failed is written again after this long. */
const REFUSAL_RETRY_MS = 2_000;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

function deviceOf(r: LocalRefusal): string | undefined {
  const first = r.caseSnapshot.events.find((e) => r.refusedEventIds.includes(e.id));
  return first?.deviceId;
}

function sinkFor(r: LocalRefusal): Sink | undefined {
  const own = sinks.get(deviceOf(r) ?? '');
  if (own) return own;
  return sinks.size === 1 ? [...sinks.values()][0] : undefined;
}

/** Hands every waiting refusal that now has a writer to it. */
function flushWaiting(): void {
  const ready = waiting.filter((r) => sinkFor(r));
  for (const r of ready) waiting.splice(waiting.indexOf(r), 1);
  for (const r of ready) void reportLocalRefusal(r);
}

function retryLater(): void {
  if (retryTimer) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    flushWaiting();
  }, REFUSAL_RETRY_MS);
}

export async function reportLocalRefusal(r: LocalRefusal): Promise<void> {
  markEventsRefused(r.refusedEventIds);
  const sink = sinkFor(r);
  if (!sink) {
    waiting.push(r);
    return;
  }
  try {
    await sink(r);
  } catch {
    waiting.push(r);
    retryLater();
  }
}

export function setRefusalSink(deviceId: string, sink: Sink | null): void {
  if (!sink) {
    sinks.delete(deviceId);
    return;
  }
  sinks.set(deviceId, sink);
  flushWaiting();
}
