import { describe, expect, it, vi } from 'vitest';
import type { CaseDoc, PushResponse } from '@sibantong/shared';
import type { DeviceConfig } from '../../src/renderer/auth/deviceConfig';
import type { AppDatabase } from '../../src/renderer/db/database';
import type { RefusalDoc } from '../../src/renderer/db/docTypes';

const answer: { current: PushResponse | null } = { current: null };
const sent: { current: unknown[] } = { current: [] };
vi.mock('../../src/renderer/sync/hubSession', () => ({
  authedFetch: vi.fn(async (_cfg: unknown, _path: string, req: { body: { rows: unknown[] } }) => {
    sent.current = req.body.rows;
    return answer.current;
  }),
}));

const { makePushHandler, recordRefusal } = await import('../../src/renderer/sync/pushHandler');
const { isEventRefused } = await import('../../src/renderer/sync/refusedEvents');

function caseDoc(id: string, eventIds: string[]): CaseDoc {
  return {
    id,
    provisionalNo: `P-${id}`,
    officialNo: null,
    matterCode: 'M',
    originUnitId: 'v',
    townId: 't',
    holderUnitId: 'v',
    handlerUserId: null,
    assistingDeptIds: [],
    status: 'received',
    applicantName: '张三',
    applicantIdDigest: '',
    applicantIdMasked: '',
    applicant: { kind: 'person', name: '张三', idNumber: 'x', phone: 'y' },
    events: eventIds.map((e, i) => ({
      id: e,
      caseId: id,
      type: 'log',
      lamport: i + 1,
      actor: { userId: 'u', name: '甲', role: 'village_helper', orgUnitId: 'v' },
      deviceId: 'd',
      deviceTime: '2026-11-20T00:00:00Z',
      payload: { text: '日志' },
    })),
    deadlines: null,
    formerUnitIds: [],
    updatedAt: '1',
  };
}

describe('push handler', () => {
  it('keeps refused writes with the hub’s reason and returns the hub’s copies so the queue moves on', async () => {
    const stored: RefusalDoc[] = [];
    const db = {
      refusals: {
        findOne: () => ({ exec: async () => null }),
        upsert: async (d: RefusalDoc) => void stored.push(d),
      },
    } as unknown as AppDatabase;
    const push = makePushHandler({} as DeviceConfig, db);
    const ok = caseDoc('a', ['d:1']);
    const bad = caseDoc('b', ['d:2', 'd:3']);
    const newOne = caseDoc('c', ['d:4']);
    const master = caseDoc('b', ['d:2']);
    answer.current = {
      results: [
        { id: 'a', status: 'accepted', document: ok },
        {
          id: 'b',
          status: 'refused',
          code: 'OUT_OF_SCOPE',
          message: '该办件不在您的办理范围内',
          master,
          refusedEventIds: ['d:3'],
        },
        {
          id: 'c',
          status: 'refused',
          code: 'UNKNOWN_MATTER',
          message: '事项不存在',
          master: null,
          refusedEventIds: ['d:4'],
        },
      ],
    };
    const rows = [ok, bad, newOne].map((d) => ({ newDocumentState: { ...d, _deleted: false } }));
    const conflicts = await push(rows as never);
    // The accepted row's hub document too: it becomes the device's copy at once.
    expect(conflicts).toHaveLength(3);
    expect(conflicts[0]).toBe(ok);
    expect(conflicts[1]).toBe(master);
    expect(conflicts[2]).toMatchObject({ id: 'c', _deleted: true });
    expect(stored.map((r) => [r.caseId, r.code, r.message, r.refusedEventIds, r.state])).toEqual([
      ['b', 'OUT_OF_SCOPE', '该办件不在您的办理范围内', ['d:3'], 'open'],
      ['c', 'UNKNOWN_MATTER', '事项不存在', ['d:4'], 'open'],
    ]);
    expect(stored[0]?.caseSnapshot.events).toHaveLength(2);
    expect(isEventRefused('d:3')).toBe(true);
    expect(isEventRefused('d:2')).toBe(false);
  });

  it('sends only rows with events the hub has not stamped, and answers the rest itself', async () => {
    const push = makePushHandler({} as DeviceConfig, {} as AppDatabase);
    const pulled = caseDoc('p', ['h:1', 'h:2']);
    pulled.events = pulled.events.map((e) => ({ ...e, hubTime: '2026-11-20T00:00:01Z' }));
    const edited = {
      ...pulled,
      id: 'e',
      events: [...pulled.events, caseDoc('e', ['d:9']).events[0]!],
    };
    sent.current = [];
    answer.current = { results: [{ id: 'e', status: 'accepted', document: edited }] };
    // `pulled` as RxDB offers it again with its record of the hub's copy: nothing to send.
    const rows = [
      { newDocumentState: { ...pulled, _deleted: false }, assumedMasterState: pulled },
      { newDocumentState: { ...edited, _deleted: false } },
    ];
    expect(await push(rows as never)).toEqual([edited]);
    expect(sent.current).toHaveLength(1);
    expect(sent.current[0]).toMatchObject({ newDocumentState: { id: 'e' } });

    sent.current = ['untouched'];
    expect(await push([rows[0]] as never)).toEqual([]);
    expect(sent.current).toEqual(['untouched']); // no request at all
  });

  it('never sends a removal, and sends a case whose record is a removal as a case the hub checks', async () => {
    // A removal is the hub's (the case left this device's scope). RxDB hands one over when its
    // record differs; reading its events threw at every retry and the push never ended.
    const push = makePushHandler({} as DeviceConfig, {} as AppDatabase);
    const removal = { id: 'gone', _deleted: true, updatedAt: '2' };
    const back = caseDoc('back', ['h:1', 'd:5']);
    back.events[0] = { ...back.events[0]!, hubTime: '2026-11-20T00:00:01Z' };
    const hubCopy = { ...back, events: back.events.map((e) => ({ ...e, hubTime: 'x' })) };
    sent.current = [];
    answer.current = { results: [{ id: 'back', status: 'accepted', document: hubCopy }] };
    const rows = [
      { newDocumentState: removal, assumedMasterState: caseDoc('gone', ['h:0']) },
      { newDocumentState: removal },
      // Moved away and back: RxDB's record is the removal, the device wrote meanwhile.
      {
        newDocumentState: { ...back, _deleted: false },
        assumedMasterState: { id: 'back', _deleted: true, updatedAt: '1' },
      },
    ];
    expect(await push(rows as never)).toEqual([hubCopy]);
    expect(sent.current).toHaveLength(1);
    // The hub is never handed the removal as the state the device assumed (its schema has no
    // such case): it gets what the device's stamped events say, here nothing foldable.
    const row = sent.current[0] as { assumedMasterState: unknown; newDocumentState: CaseDoc };
    expect(row.newDocumentState.id).toBe('back');
    expect(row.assumedMasterState).toBeNull();
  });

  it('a refusal of the same first event again keeps every event it listed before', async () => {
    // One record per case and first refused event; a second refusal replaced the first, and
    // an event refused only in the first was then nowhere: not on the hub, not in the case,
    // not among the refusals.
    const records = new Map<string, RefusalDoc>();
    const db = {
      refusals: {
        findOne: (id: string) => ({
          exec: async () => {
            const r = records.get(id);
            return r ? { toMutableJSON: () => structuredClone(r) } : null;
          },
        }),
        upsert: async (d: RefusalDoc) => void records.set(d.id, d),
      },
    } as unknown as AppDatabase;
    const doc = caseDoc('r', ['d:1', 'd:2']);
    await recordRefusal(db, doc, 'LATE_EVENT_NOT_HOLDER', '已移交', ['d:1', 'd:2']);
    await recordRefusal(db, caseDoc('r', ['d:1']), 'LATE_EVENT_NOT_HOLDER', '已移交', ['d:1']);
    expect([...records.values()].map((r) => r.refusedEventIds)).toEqual([['d:1', 'd:2']]);
    expect(records.get('r|d:1')!.caseSnapshot.events.map((e) => e.id)).toEqual(['d:1', 'd:2']);
  });

  it("asks the hub for its copy of a case without RxDB's record of it (a refresh)", async () => {
    const push = makePushHandler({} as DeviceConfig, {} as AppDatabase);
    const stale = caseDoc('s', ['h:1']);
    stale.events = stale.events.map((e) => ({ ...e, hubTime: '2026-11-20T00:00:01Z' }));
    const hubCopy = { ...stale, officialNo: 'SX-2026-000001' };
    sent.current = [];
    answer.current = { results: [{ id: 's', status: 'accepted', document: hubCopy }] };
    const row = { newDocumentState: { ...stale, _deleted: false } };
    expect(await push([row] as never)).toEqual([hubCopy]);
    expect(sent.current).toHaveLength(1);

    // Out of scope now: the case leaves the device, and no refusal is recorded (none of this
    // device's work was refused; the db double would throw on a write).
    answer.current = {
      results: [
        {
          id: 's',
          status: 'refused',
          code: 'OUT_OF_SCOPE',
          message: '无权操作',
          refusedEventIds: [],
          master: null,
        },
      ],
    };
    expect(await push([row] as never)).toEqual([{ ...stale, _deleted: true }]);
  });
});
