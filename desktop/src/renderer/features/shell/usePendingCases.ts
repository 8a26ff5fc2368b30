import { useApp } from '../../appContext';
import { PENDING_UPLOAD, waitsForUpload } from '../../db/caseQueries';
import { useRxQuery } from '../../hooks/useRx';

/**
 * How many cases hold a change the hub has not stamped yet: what staff mean by "待上传" (a
 * case with three offline steps is one case waiting, not three).
 */
export function usePendingCases(): number {
  const { db } = useApp();
  const { docs } = useRxQuery(db.cases, PENDING_UPLOAD);
  return docs.filter(waitsForUpload).length;
}
