import { DUE_SOON_WORKING_DAYS, type CaseStatus } from '@sibantong/shared';

/** What the "剩余工作日" cell says, and how loudly. */
export interface DeadlineText {
  text: string;
  tone: 'overdue' | 'soon' | 'normal' | 'none';
}

const CONCLUDED: readonly CaseStatus[] = [
  'concluded_approved',
  'concluded_denied',
  'result_delivered',
  'evaluated',
];
const ENDED: readonly CaseStatus[] = ['not_accepted', 'withdrawn', 'terminated'];

/**
 * A countdown only means something while the case is being worked on: after 办结 the clock
 * has stopped, and a 即办件 (promised in 0 working days) is done on the spot, not "0 days left".
 */
export function deadlineText(
  status: CaseStatus,
  daysLeft: number | null,
  matter: { immediate?: boolean; promisedDays?: number } | undefined,
): DeadlineText {
  if (CONCLUDED.includes(status)) return { text: '已办结', tone: 'none' };
  if (ENDED.includes(status)) return { text: '已终结', tone: 'none' };
  if (matter && (matter.immediate || matter.promisedDays === 0))
    return { text: '即办件（当场办结）', tone: 'none' };
  if (daysLeft === null) return { text: '—', tone: 'none' };
  if (daysLeft < 0) return { text: `已超期 ${-daysLeft} 个工作日`, tone: 'overdue' };
  const suffix = status === 'suspended' ? '（中止期间暂停计时）' : '';
  return {
    text: `剩 ${daysLeft} 个工作日${suffix}`,
    tone: daysLeft <= DUE_SOON_WORKING_DAYS ? 'soon' : 'normal',
  };
}

export const DEADLINE_COLORS: Record<DeadlineText['tone'], string | undefined> = {
  overdue: '#cf1322',
  soon: '#d46b08',
  normal: undefined,
  none: undefined,
};
