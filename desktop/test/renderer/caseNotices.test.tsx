import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { renderScreen } from './support/renderInApp';
import type { CaseDoc, SessionUser } from '@sibantong/shared';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import { noticeFor, summarise } from '../../src/renderer/notifications/caseNotices';
import { useCaseNotifications } from '../../src/renderer/notifications/useCaseNotifications';
import { helper, History, lead, receive } from './caseHistory';

const villageUser = { userId: 'vh', role: 'village_helper', orgUnitId: 'v1' } as const;
const townUser = { userId: 'tl', role: 'town_lead', orgUnitId: 't1' } as const;

function forwarded(): History {
  return new History()
    .add(helper, 'receive', receive([]))
    .add(helper, 'accept', {})
    .add(helper, 'forward', { toUnitId: 't1', materials: [] });
}

describe('which changes a person is told about', () => {
  it('a case arriving at the town from a village PC', () => {
    const h = forwarded();
    const before = new History().add(helper, 'receive', receive([])).add(helper, 'accept', {});
    const n = noticeFor(before.doc(), h.doc(), townUser, 'dev-town');
    expect(n).toMatchObject({ kind: 'arrived', title: '新办件到达', caseId: 'k1' });
    // A case first seen by this PC (a pull of a new case) counts as arriving too.
    expect(noticeFor(undefined, h.doc(), townUser, 'dev-town')?.kind).toBe('arrived');
  });

  it('never about one’s own act on this PC', () => {
    const h = forwarded();
    const before = new History().add(helper, 'receive', receive([])).add(helper, 'accept', {});
    // The village PC that forwarded it: the case left, nothing arrived.
    expect(noticeFor(before.doc(), h.doc(), villageUser, 'dev-vh')).toBeNull();
    // The town's own claim on its own PC is no news either.
    const claimed = forwarded().add(lead, 'claim', {});
    expect(noticeFor(h.doc(), claimed.doc(), townUser, 'dev-tl')).toBeNull();
  });

  it('a result coming back to the village window', () => {
    const h = forwarded().add(lead, 'claim', {});
    const before = h.doc();
    h.add(lead, 'conclude', {
      outcome: 'approved',
      opinion: '准予',
      deliverAtUnitId: 'v1',
    });
    const n = noticeFor(before, h.doc(), villageUser, 'dev-vh');
    expect(n).toMatchObject({ kind: 'result', title: '办理结果已返回' });
    expect(n?.body).toContain('准予');
  });

  it('a burst becomes one summary', () => {
    const one = noticeFor(undefined, forwarded().doc(), townUser, 'dev-town')!;
    expect(summarise([one, one, one])).toHaveLength(3);
    const many = summarise([one, one, one, one, one]);
    expect(many).toHaveLength(1);
    expect(many[0]!.title).toBe('有 5 件办件需要您处理');
  });
});

let db: AppDatabase | null = null;
afterEach(async () => {
  cleanup();
  await db?.close();
  db = null;
});

function Listener({ database }: { database: AppDatabase }) {
  useCaseNotifications(database, townUser as unknown as SessionUser, 'dev-town', () => undefined);
  return null;
}

describe('notifications from the local database', () => {
  it('shows an in-app notice when a replicated case arrives at this unit', async () => {
    db = await openDatabase(`dev-notice-${Date.now()}`, 'k-0123456789abcdef');
    renderScreen(<Listener database={db} />);
    const doc: CaseDoc = forwarded().doc({ holderUnitId: 't1' });
    await db.cases.insert(doc);
    await waitFor(() => expect(screen.getByText('新办件到达')).toBeTruthy(), { timeout: 5_000 });
    expect(screen.getByText(/LS-V1-k1 已转到本单位/)).toBeTruthy();
  });
});
