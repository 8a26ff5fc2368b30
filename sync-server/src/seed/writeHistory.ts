/**
 * Stores the planned history (historyPlan.ts) through the hub's guarded store — sealed at
 * rest like every pushed case — with the records the hub's workflow would have made along
 * the way, at the times it would have made them:
 * - 差评 follow-up tickets (the workflow's own `badRatingTicketsOf`), each taken some steps
 *   along the shared ticket rule (`applyTicketStep`): older ones closed with a call back,
 *   recent ones still at 核实 / 整改 / 反馈 or not yet started;
 * - 督办 records (the id the `deadlineWarnings` job uses, so it never raises a second one)
 *   for every case that went past its promised date, resolved once it was concluded.
 * Idempotent: every id is deterministic and an existing document is kept (409), so running
 * the command twice changes nothing. Official numbers are bound by the workflow as for any
 * case the hub receives.
 */
import {
  DEMO_USERS,
  applyTicketStep,
  chinaDate,
  type CaseDoc,
  type CountyKey,
  type TicketStatus,
} from '@sibantong/shared';
import { randomBytes } from 'node:crypto';
import { deviceKey, type DeviceDoc } from '../auth/authDocs.js';
import { digestSecret } from '../auth/passwords.js';
import type { RefSnapshot } from '../domain/refData.js';
import { refusalRecordOf } from '../refusals/refusalLog.js';
import { addWorkingDays } from '../domain/sharedCompat.js';
import { withStoreRetry, type Store } from '../store/store.js';
import type { SupervisionRecord } from '../workflow/jobs/deadlineWarnings.js';
import { badRatingTicketsOf, type TicketRecord } from '../workflow/jobs/badRatingTicket.js';
import { planHistory, rng, type HistoryOptions, type PlannedCase } from './historyPlan.js';

export interface HistoryWritten {
  cases: number;
  tickets: number;
  supervision: number;
  refusals: number;
  /** Cases already stored (an earlier run): kept as they are. */
  kept: number;
  /** Events the hub's rules refused while planning (0 unless the catalogue changed). */
  refused: number;
}

const CHUNK = 200;
const FOLLOW_UP_DAYS = 5;

async function bulkInsert(
  store: Store,
  db: 'cases' | 'tickets' | 'supervision' | 'refusals' | 'auth',
  docs: object[],
) {
  let written = 0;
  let kept = 0;
  for (let i = 0; i < docs.length; i += CHUNK) {
    const chunk = docs.slice(i, i + CHUNK);
    const answers = await withStoreRetry(() => store.db(db).bulk({ docs: chunk }));
    for (const a of answers) {
      if (!a.error) written += 1;
      else if (a.error === 'conflict') kept += 1;
      else throw new Error(`${db} ${a.id}: ${a.error} ${a.reason ?? ''}`);
    }
  }
  return { written, kept };
}

const STEP_NOTES: Record<Exclude<TicketStatus, 'open'>, string> = {
  verifying: '已联系申请人核实情况，情况属实',
  rectifying: '已约谈窗口人员，优化叫号和告知流程',
  feedback: '已向申请人反馈整改情况',
  closed: '电话回访，申请人表示认可',
};

/** The follow-up as far as it got by `nowMs`: a step every few working days. */
function ticketAsOf(
  ref: RefSnapshot,
  t: TicketRecord,
  ratedAt: string,
  nowMs: number,
  r: () => number,
): TicketRecord {
  const sup = DEMO_USERS.find((u) => u.role === 'supervisor');
  const agent = DEMO_USERS.find((u) => u.role === 'centre_agent');
  let ticket: TicketRecord = { ...t, createdAt: ratedAt, updatedAt: ratedAt };
  let day = chinaDate(ratedAt);
  const path: Array<Exclude<TicketStatus, 'open'>> = [
    'verifying',
    'rectifying',
    'feedback',
    'closed',
  ];
  for (const status of path) {
    day = addWorkingDays(day, 1 + Math.floor(r() * 3), ref.calendar);
    const at = `${day}T0${1 + Math.floor(r() * 7)}:${String(Math.floor(r() * 60)).padStart(2, '0')}:00.000Z`;
    if (Date.parse(at) > nowMs) break;
    const by = status === 'closed' || !agent || r() < 0.5 ? sup : agent;
    if (!by) break;
    const next = applyTicketStep(
      ticket as never,
      {
        status,
        note: STEP_NOTES[status],
        ...(status === 'closed'
          ? { callBackResult: r() < 0.8 ? 'satisfied' : 'basically_satisfied' }
          : {}),
      },
      { userId: `u-${by.username}`, name: by.name, role: by.role },
      at,
    );
    if (!next.ok) throw new Error(`${t.id}: ${next.code} ${next.messageZh}`);
    ticket = next.value as unknown as TicketRecord;
  }
  return ticket;
}

/** The 督办 record of a case that went past its promised date (as deadlineWarnings writes it). */
function overdueRecord(doc: CaseDoc, ref: RefSnapshot, nowMs: number): SupervisionRecord | null {
  const due = doc.deadlines?.promisedDue;
  if (!due) return null;
  const conclude = doc.events.find((e) => e.type === 'conclude');
  const stoppedDay = conclude?.hubTime ? chinaDate(conclude.hubTime) : null;
  const today = chinaDate(new Date(nowMs));
  const open = ['accepted', 'accepted_deferred', 'processing'].includes(doc.status);
  if (!(stoppedDay ? stoppedDay > due : open && today > due)) return null;
  const issuedDay = addWorkingDays(due, 1, ref.calendar);
  if (issuedDay > today) return null;
  const id = `sv:overdue:${due}:${doc.id}`;
  return {
    _id: id,
    id,
    caseId: doc.id,
    kind: 'overdue',
    dueDate: due,
    issuedAt: `${issuedDay}T01:00:00.000Z`,
    unitId: doc.holderUnitId,
    resolved: stoppedDay !== null,
    note: `办件 ${doc.provisionalNo} 已超过承诺办结期限（${due}），请督办`,
    hubScope: [...new Set([doc.holderUnitId, doc.originUnitId, doc.townId])],
  };
}

export async function writeHistory(
  store: Store,
  ref: RefSnapshot,
  opts: HistoryOptions,
  countyKey: CountyKey | null,
): Promise<HistoryWritten> {
  const plan = await planHistory(ref, opts, countyKey);
  const docs = plan.cases.map((c) => ({ ...c.doc, _id: c.doc.id }));
  const cases = await bulkInsert(store, 'cases', docs);
  const r = rng(opts.seed * 7 + 1);
  const tickets = plan.cases.flatMap((c: PlannedCase) =>
    badRatingTicketsOf(ref, c.doc, FOLLOW_UP_DAYS).map((t) => {
      const rated = c.badRatings.find((b) => b.eventId === t.ratingEventId);
      return ticketAsOf(ref, t, rated?.hubTime ?? t.createdAt, opts.nowMs, r);
    }),
  );
  const ticketAnswer = await bulkInsert(store, 'tickets', tickets);
  const records = plan.cases.flatMap((c) => overdueRecord(c.doc, ref, opts.nowMs) ?? []);
  const sv = await bulkInsert(store, 'supervision', records);
  // The refused writes as the push handler records them (refusals/refusalLog.ts).
  const refusals = plan.cases.flatMap((c) =>
    c.refusedAttempts.map((a) =>
      refusalRecordOf(
        {
          user: { ...a.by, username: a.by.userId.replace(/^u-/, '') },
          deviceId: a.deviceId,
          deviceUnitId: a.by.orgUnitId,
          sessionId: 'seed',
        },
        { assumedMasterState: null, newDocumentState: a.doc },
        { id: a.doc.id, code: a.code, message: a.message, refusedEventIds: [a.event.id] },
        a.hubTime,
      ),
    ),
  );
  const refusalAnswer = await bulkInsert(store, 'refusals', refusals);
  // The village PCs of the history, named as IT names PCs at enrolment. No one can log in
  // on them: their secret is random and thrown away.
  const devices: DeviceDoc[] = ref.units
    .filter((u) =>
      plan.cases.some((c) => c.doc.events.some((e) => e.deviceId === `dev-hist-${u.id}`)),
    )
    .map((u) => ({
      _id: deviceKey(`dev-hist-${u.id}`),
      type: 'device',
      deviceId: `dev-hist-${u.id}`,
      name: `${u.name}便民服务点 1号机`,
      orgUnitId: u.id,
      secretDigest: digestSecret(randomBytes(32).toString('hex')),
      enrolledAt: new Date(opts.nowMs - opts.days * 86_400_000).toISOString(),
      revokedAt: null,
    }));
  await bulkInsert(store, 'auth', devices);
  return {
    cases: cases.written,
    tickets: ticketAnswer.written,
    supervision: sv.written,
    refusals: refusalAnswer.written,
    kept: cases.kept,
    refused: plan.refused.length,
  };
}
