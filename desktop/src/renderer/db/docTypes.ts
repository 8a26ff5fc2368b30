import type { CaseDoc, CaseEventType, MatterDoc, OrgUnit } from '@sibantong/shared';

/** Reference document as the hub sends it; only `id` is relied upon structurally. */
export interface RefDoc {
  id: string;
  [key: string]: unknown;
}

export type LocalOrgUnit = OrgUnit & { [key: string]: unknown };

/** Matter as stored locally: the shared schema's document, as the hub validated and sent it. */
export type LocalMatter = MatterDoc;

/** A write the hub refused, kept so nothing the staff typed is lost (see sync/pushHandler.ts). */
export interface RefusalDoc {
  id: string;
  caseId: string;
  provisionalNo: string;
  code: string;
  message: string;
  refusedEventIds: string[];
  refusedEventTypes: CaseEventType[];
  /** The full case as this device had it when pushing. */
  caseSnapshot: CaseDoc;
  createdAt: string;
  state: 'open' | 'resubmitted' | 'discarded';
  resolvedAt: string | null;
}
