// Barrel of shared/src/deadlines: case deadlines and the due-soon rule, for hub and PC alike.
export {
  computeCaseDeadlines,
  sameDeadlines,
  suspensionIntervals,
  type DeadlineInputs,
} from './caseDeadlines.js';
export {
  DEADLINE_CLOCK_STATUSES,
  DUE_SOON_WORKING_DAYS,
  daysLeft,
  deadlineClockRunning,
  dueBucket,
  dueWindow,
  type DueBucket,
  type DueWindow,
} from './dueSoon.js';
