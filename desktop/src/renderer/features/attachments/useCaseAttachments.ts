import { useEffect, useState } from 'react';
import type { AppDatabase } from '../../db/database';
import { attachmentStoreOf, type LocalAttachment } from '../../db/attachmentsCollection';

/** The files of a case on this PC, oldest first (live: uploads and remote lists update it). */
export function useCaseAttachments(db: AppDatabase, caseId: string): LocalAttachment[] {
  const [docs, setDocs] = useState<LocalAttachment[]>([]);
  useEffect(() => {
    const store = attachmentStoreOf(db);
    if (!store) return;
    const sub = store.attachments
      .find({ selector: { caseId }, sort: [{ caseId: 'asc' }, { attachedAt: 'asc' }] })
      .$.subscribe((rows) => setDocs(rows.map((r) => r.toMutableJSON() as LocalAttachment)));
    return () => sub.unsubscribe();
  }, [db, caseId]);
  return docs;
}
