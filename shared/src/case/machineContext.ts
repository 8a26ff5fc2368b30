/**
 * What the machine needs from outside when it judges a NEW event. Derivation of an existing
 * history never uses it: the org tree and the catalogue change over time, and a change must
 * not rewrite what was legal when the event was accepted.
 */
import type { Actor } from '../org/orgTypes.js';
import type { OrgDirectory } from '../org/orgDirectory.js';

export interface MatterLimits {
  /** 承诺办结时限, working days. */
  promisedDays: number;
  /** 法定办结时限, working days. */
  legalDays: number;
}

export interface MachineContext {
  org?: OrgDirectory;
  matterLimits?: (matterCode: string) => MatterLimits | undefined;
  /**
   * ISO date `workingDays` working days after `isoDate` (a calendar function). Without it
   * the 容缺 due date may lie at most promisedDays × 2 calendar days after acceptance, which
   * over-approximates any working-day span of that length except around 春节/国庆.
   */
  addWorkingDays?: (isoDate: string, workingDays: number) => string;
  /** The authenticated user pushing: new events must be theirs. */
  pushedBy?: Actor;
  /** The authenticated device pushing: new events must come from it. */
  deviceId?: string;
  /**
   * The case's origin as the hub records it now (`CaseDoc.originUnitId`): a move to another
   * village rewrites it outside the history. 退回 and result delivery may name it.
   */
  caseOriginUnitId?: string;
  /** Units the case was moved away from (`CaseDoc.formerUnitIds`): never a 退回 target. */
  caseFormerUnitIds?: readonly string[];
}
