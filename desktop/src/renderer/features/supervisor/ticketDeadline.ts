import { chinaDate, countWorkingDays, type TicketDoc } from '@sibantong/shared';

export interface TicketDeadline {
  /** Working days left until the due date (0 on it, negative once overdue); null if unknown. */
  daysLeft: number | null;
  overdue: boolean;
  label: string;
}

/** The hub dates tickets in China time; count from today's China date to match. */
const chinaToday = (now: Date) => chinaDate(now);

/** What the follow-up panel shows about the deadline; a closed ticket has none left to meet. */
export function ticketDeadline(
  ticket: Pick<TicketDoc, 'dueDate' | 'status'>,
  now = new Date(),
): TicketDeadline {
  if (ticket.status === 'closed') return { daysLeft: null, overdue: false, label: '已办结' };
  let daysLeft: number;
  try {
    daysLeft = countWorkingDays(chinaToday(now), ticket.dueDate);
  } catch {
    // A year without a holiday table: show the date alone rather than a wrong count.
    return { daysLeft: null, overdue: false, label: `${ticket.dueDate} 前` };
  }
  if (daysLeft < 0) {
    return { daysLeft, overdue: true, label: `已超期 ${-daysLeft} 个工作日` };
  }
  return {
    daysLeft,
    overdue: false,
    label: daysLeft === 0 ? '今日到期' : `剩余 ${daysLeft} 个工作日`,
  };
}
