import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseDoc } from '@sibantong/shared';
import {
  reportLocalRefusal,
  setRefusalSink,
  type LocalRefusal,
} from '../../src/renderer/sync/refusedEvents';
import { helper, History, receive } from './caseHistory';

function refusalOf(deviceId: string): LocalRefusal {
  const h = new History().add(helper, 'receive', receive([])).add(helper, 'accept', {});
  const doc = h.doc();
  const last = doc.events.at(-1)!;
  const snapshot: CaseDoc = {
    ...doc,
    events: [...doc.events.slice(0, -1), { ...last, deviceId }],
  };
  return {
    caseSnapshot: snapshot,
    code: 'WRONG_UNIT',
    message: '只有当前持有单位或收件单位才能办理此操作',
    refusedEventIds: [last.id],
  };
}

describe('a refusal taken out of a case is stored, never left in memory', () => {
  afterEach(() => {
    setRefusalSink('pc-now', null);
  });

  it('an event made under this PC’s earlier enrolment goes to the engine running here', async () => {
    const stored: LocalRefusal[] = [];
    setRefusalSink('pc-now', async (r) => void stored.push(r));
    const r = refusalOf('pc-before-re-enrolment');
    await reportLocalRefusal(r);
    expect(stored).toEqual([r]);
  });

  it('a write that failed is written again', async () => {
    const stored: LocalRefusal[] = [];
    let failures = 1;
    setRefusalSink('pc-now', async (r) => {
      if (failures-- > 0) throw new Error('IndexedDB busy');
      stored.push(r);
    });
    const r = refusalOf('pc-now');
    await reportLocalRefusal(r);
    expect(stored).toEqual([]);
    await vi.waitFor(() => expect(stored).toEqual([r]), { timeout: 10_000 });
  });
});
