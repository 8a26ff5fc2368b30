import type { CaseStatus } from '@sibantong/shared';

/** Tag colours of statuses on screen (presentation only; the names are shared's labels). */
export const STATUS_COLORS: Partial<Record<CaseStatus, string>> = {
  correction_required: 'orange',
  accepted_deferred: 'gold',
  processing: 'blue',
  suspended: 'purple',
  concluded_approved: 'green',
  concluded_denied: 'red',
  not_accepted: 'red',
  evaluated: 'cyan',
};
