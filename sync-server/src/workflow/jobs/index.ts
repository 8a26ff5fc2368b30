/**
 * The workflow's jobs, each registered once. To add one: write a module exporting a
 * `WorkflowJob` (name, appliesTo, run) in this folder and list it here; the runner does the
 * rest (batches, lease, dead letters, one write per case).
 */
import { badRatingTicketJob } from './badRatingTicket.js';
import { caseDeadlinesJob } from './caseDeadlines.js';
import { deadlineWarningsJob } from './deadlineWarnings.js';
import type { WorkflowJob } from './jobTypes.js';
import { officialNumberJob } from './officialNumber.js';

export const WORKFLOW_JOBS: readonly WorkflowJob[] = [
  officialNumberJob,
  caseDeadlinesJob,
  deadlineWarningsJob,
  badRatingTicketJob,
];

/**
 * Names jobs had before and no longer have: their open dead letters are resolved when the
 * case is processed again (`caseFields` did numbering and deadlines together, so a calendar
 * problem held numbering up; it is now officialNumber + caseDeadlines).
 */
export const RETIRED_JOB_NAMES: readonly string[] = ['caseFields'];

export type { CasePatch, JobContext, JobResult, WorkflowJob } from './jobTypes.js';
