import {
  chinaDate,
  countWorkingDaysDetailed,
  type TicketDoc,
  type WorkingCalendar,
} from '@sibantong/shared';

export interface TicketDeadline {
  /** Working days left until the due date (0 on it, negative once overdue); null if unknown. */
  daysLeft: number | null;
  overdue: boolean;
  /** Counted over a year the synced calendar does not cover (weekends only): 暂估. */
  provisional: boolean;
  label: string;
}

/** The hub dates tickets in China time; count from today's China date to match. */
const chinaToday = (now: Date) => chinaDate(now);

/**
 * What the follow-up panel shows about the deadline, counted on the calendar synced from the
 * hub; a closed ticket has none left to meet.
 */
export function ticketDeadline(
  ticket: Pick<TicketDoc, 'dueDate' | 'status'>,
  calendar: WorkingCalendar,
  now = new Date(),
): TicketDeadline {
  if (ticket.status === 'closed') {
    return { daysLeft: null, overdue: false, provisional: false, label: '已办结' };
  }
  let count: { days: number; provisional: boolean };
  try {
    count = countWorkingDaysDetailed(chinaToday(now), ticket.dueDate, calendar);
  } catch {
    // Not a date: show it as it came rather than a wrong count.
    return { daysLeft: null, overdue: false, provisional: false, label: `${ticket.dueDate} 前` };
  }
  const { days: daysLeft, provisional } = count;
  const mark = provisional ? '（暂估）' : '';
  if (daysLeft < 0) {
    return { daysLeft, overdue: true, provisional, label: `已超期 ${-daysLeft} 个工作日${mark}` };
  }
  return {
    daysLeft,
    overdue: false,
    provisional,
    label: (daysLeft === 0 ? '今日到期' : `剩余 ${daysLeft} 个工作日`) + mark,
  };
}
