/** The one place the hub imports shared org and calendar helpers from. */
export {
  buildCalendar,
  parseCalendarYearFile,
  addWorkingDays,
  SEED_CALENDAR_YEARS,
  type CalendarYearTable,
  type WorkingCalendar,
  type SuspensionInterval,
} from '@sibantong/shared';
export type { OrgUnit, Actor, CaseDoc, CaseEvent, Role } from '@sibantong/shared';
export {
  createOrgDirectory,
  canSee,
  caseScopeOf,
  caseInScope,
  type OrgDirectory,
  type CaseScope,
} from '@sibantong/shared';
