import {
  checkCaseDocIdentity,
  createEvent,
  deriveCaseFields,
  DomainError,
  mergeHistories,
  validateCaseDoc,
  validateNewEvents,
  type Actor,
  type CaseDoc,
  type CaseEvent,
  type CaseEventType,
  type EventPayloads,
  type MachineContext,
} from '@sibantong/shared';
import type { AppDatabase } from './database';
import { withoutLocalFields } from './localFields';
import { loadReferenceData, machineContextOf } from './localRules';

/**
 * The one way case events are written on this device. Before anything is stored, the write
 * passes the checks the hub runs on push (sync-server/src/sync/pushHandler.ts): the shared case
 * schema, the identity of a new case against its receive event, and `validateNewEvents` with
 * the same MachineContext (org tree, catalogue limits, synced calendar, the pushing user and
 * device). A refusal throws `LocalWriteRefused` with the hub's code and Chinese message and
 * nothing is stored. See docs/client.md, "Local writes".
 */
export class LocalWriteRefused extends DomainError {
  constructor(
    code: string,
    messageZh: string,
    /** The payload field the rule names (e.g. `deferred.dueDate`), for the form to mark. */
    readonly field?: string,
  ) {
    super(code, messageZh, field ? { field } : undefined);
    this.name = 'LocalWriteRefused';
  }
}

/** The verdict of the hub's checks on a write; a refusal may name the field at fault. */
export type WriteVerdict =
  { ok: true; value: CaseDoc } | { ok: false; code: string; messageZh: string; field?: string };

/** Who writes: the logged-in user on this enrolled device (the hub's pushedBy and deviceId). */
export interface Writer {
  actor: Actor;
  deviceId: string;
}

function plainActor(a: Actor): Actor {
  return { userId: a.userId, name: a.name, role: a.role, orgUnitId: a.orgUnitId };
}

const COUNTER_KEY = 'sibantong.eventCounter';
/** The device's persistent, strictly increasing event counter (survives restarts). */
export function nextCounter(): number {
  const n = Math.max(Number(localStorage.getItem(COUNTER_KEY) ?? '0'), 0) + 1;
  localStorage.setItem(COUNTER_KEY, String(n));
  return n;
}
export function nextEventId(deviceId: string): string {
  return `${deviceId}:${nextCounter()}`;
}
export function nextLamport(events: readonly CaseEvent[]): number {
  return events.reduce((m, e) => Math.max(m, e.lamport), 0) + 1;
}

/** A new event on top of a case's events, with this device's id and counter. */
export function makeEvent<T extends CaseEventType>(
  c: { id: string; events: readonly CaseEvent[] },
  type: T,
  payload: EventPayloads[T],
  actor: Actor,
  deviceId: string,
  now: Date = new Date(),
): CaseEvent {
  return createEvent({
    caseEvents: c.events,
    caseId: c.id,
    type,
    payload,
    actor: plainActor(actor),
    deviceId,
    counter: nextCounter(),
    now,
  }) as CaseEvent;
}

/** Union of two histories by event id: the merge of concurrent offline edits. */
export function unionEvents(a: readonly CaseEvent[], b: readonly CaseEvent[]): CaseEvent[] {
  return mergeHistories(a, b).events;
}

/** Appends events and re-derives the derived fields; the hub recomputes all of this on push. */
export function applyEvents(doc: CaseDoc, events: readonly CaseEvent[]): CaseDoc {
  const all = unionEvents(doc.events, events);
  return { ...doc, events: all, ...deriveCaseFields(all), updatedAt: new Date().toISOString() };
}

/**
 * The hub's verdict on a write, computed here: `before` is the case as stored (null for a new
 * case), `after` the case to store. Pure, so the parity test runs it beside a real hub.
 */
export function checkCaseWrite(
  before: CaseDoc | null,
  after: CaseDoc,
  rules: MachineContext,
  writer: Writer,
): WriteVerdict {
  const doc = withoutLocalFields(after);
  const shape = validateCaseDoc(doc);
  if (!shape.ok) return { ok: false, code: 'CASE_SCHEMA_INVALID', messageZh: shape.messageZh };
  if (!before) {
    if (rules.matterLimits && !rules.matterLimits(doc.matterCode)) {
      return {
        ok: false,
        code: 'UNKNOWN_MATTER',
        messageZh: `事项目录中没有该事项（${doc.matterCode}），请联网同步事项目录后再办理`,
      };
    }
    const identity = checkCaseDocIdentity(doc, rules.org);
    if (identity) return { ok: false, code: identity.code, messageZh: identity.messageZh };
  }
  const known = new Set((before?.events ?? []).map((e) => e.id));
  const added = doc.events.filter((e) => !known.has(e.id));
  const verdict = validateNewEvents(before?.events ?? [], added, {
    ...rules,
    caseId: doc.id,
    pushedBy: plainActor(writer.actor),
    deviceId: writer.deviceId,
    // Where the case is now, as the hub passes it (sync/pushHandler.ts): a move rewrote the
    // origin outside the history, and 退回 or delivery may name only where it is now.
    caseOriginUnitId: before?.originUnitId ?? doc.originUnitId,
    caseFormerUnitIds: before?.formerUnitIds ?? [],
  });
  if (!verdict.ok) {
    const field = verdict.details?.field;
    return {
      ok: false,
      code: verdict.code,
      messageZh: verdict.messageZh,
      ...(typeof field === 'string' ? { field } : {}),
    };
  }
  return { ok: true, value: after };
}

function refuseUnless(verdict: WriteVerdict): void {
  if (!verdict.ok) throw new LocalWriteRefused(verdict.code, verdict.messageZh, verdict.field);
}

/** The rules as this device knows them now (read fresh for each write: a sync may update them). */
export async function localRules(db: AppDatabase): Promise<MachineContext> {
  return machineContextOf(await loadReferenceData(db));
}

/** Stores a new case (all its first events at once) after the hub's checks accept it. */
export async function insertCase(db: AppDatabase, doc: CaseDoc, writer: Writer): Promise<CaseDoc> {
  refuseUnless(checkCaseWrite(null, doc, await localRules(db), writer));
  await db.cases.insert(doc);
  return doc;
}

/**
 * Appends the events `build` mints on top of the case as it is at the moment of writing (never
 * a copy read earlier, so a change that arrived meanwhile is kept), after the hub's checks
 * accept them. Throws LocalWriteRefused (nothing stored) when they do not. `absent` is the case
 * to start from when it is not on this device (a new case the hub refused: its snapshot
 * without the refused events); it is then inserted, checked as a new case.
 */
export async function appendCaseEvents(
  db: AppDatabase,
  caseId: string,
  writer: Writer,
  build: (current: CaseDoc) => readonly CaseEvent[],
  absent?: CaseDoc,
): Promise<CaseDoc> {
  const rules = await localRules(db);
  const rx = await db.cases.findOne(caseId).exec();
  if (!rx && absent) {
    const start = withoutLocalFields(absent);
    const doc = applyEvents(start, build(start));
    refuseUnless(checkCaseWrite(null, doc, rules, writer));
    await db.cases.insert(doc);
    return doc;
  }
  if (!rx) throw new LocalWriteRefused('CASE_NOT_ON_DEVICE', '该办件已不在本设备上，无法办理');
  let written: CaseDoc | null = null;
  await rx.incrementalModify((old) => {
    const current = withoutLocalFields(old as CaseDoc);
    const next = applyEvents(current, build(current));
    refuseUnless(checkCaseWrite(current, next, rules, writer));
    written = next;
    return next as typeof old;
  });
  return written ?? (rx.toJSON() as unknown as CaseDoc);
}

/** The Chinese text of a failed write, for a form's error banner. */
export function writeErrorText(e: unknown): string {
  if (e instanceof DomainError) return e.messageZh;
  return `保存失败，未写入任何数据：${e instanceof Error ? e.message : String(e)}`;
}
