import { useEffect, type HTMLAttributes } from 'react';
import { notification } from 'antd';
import type { CaseDoc, SessionUser } from '@sibantong/shared';
import type { AppDatabase } from '../db/database';
import type { Route } from '../appContext';
import { noticeFor, summarise, type CaseNotice } from './caseNotices';

/** A burst of replicated changes (one pull) is gathered for this long before telling anyone. */
const GATHER_MS = 1_500;

/** The OS notification too, where this PC allows it (never asked for: IT decides). */
function desktopNotify(n: CaseNotice): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(n.title, { body: n.body, tag: n.caseId || 'summary' });
  } catch {
    // Some shells expose the constructor but refuse it; the in-app notice is enough.
  }
}

/**
 * Tells the person at this PC when a case arrives at their unit, a result comes back to their
 * window, or their department is asked to assist: driven by the local database's changes, so
 * it works the same for pulls from the hub and for anything else that updates a case.
 */
export function useCaseNotifications(
  db: AppDatabase,
  user: Pick<SessionUser, 'userId' | 'role' | 'orgUnitId'>,
  deviceId: string,
  navigate: (r: Route) => void,
): void {
  useEffect(() => {
    let pending: CaseNotice[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      for (const n of summarise(pending)) {
        notification.info({
          key: n.caseId || 'case-summary',
          title: n.title,
          description: n.body,
          placement: 'bottomRight',
          duration: 8,
          onClick: n.caseId ? () => navigate({ page: 'case', caseId: n.caseId }) : undefined,
          props: { 'data-testid': `notice-${n.kind}` } as HTMLAttributes<HTMLDivElement>,
        });
        desktopNotify(n);
      }
      pending = [];
    };
    const sub = db.cases.$.subscribe((change) => {
      if (change.operation === 'DELETE') return;
      const next = change.documentData as unknown as CaseDoc;
      const prev = change.previousDocumentData as unknown as CaseDoc | undefined;
      const notice = noticeFor(prev, next, user, deviceId);
      if (!notice) return;
      pending = [...pending.filter((p) => p.caseId !== notice.caseId), notice];
      timer ??= setTimeout(flush, GATHER_MS);
    });
    return () => {
      sub.unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [db, user, deviceId, navigate]);
}
