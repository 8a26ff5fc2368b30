/**
 * Chinese names of statuses, events, ratings and the levels staff work at: the one set used
 * in refusal messages, on screen and on paper (the renderer imports these, it has no copy).
 * Terms follow docs/domain.md: 镇街 (not 乡镇) for the town window, 领办 for a claim.
 */
import type { Role } from '../org/orgTypes.js';
import type { CaseEventType, CaseStatus, RatingLevel } from './caseTypes.js';

export const CASE_STATUS_LABELS_ZH: Readonly<Record<CaseStatus, string>> = {
  received: '已收件',
  correction_required: '待补正',
  accepted: '已受理',
  accepted_deferred: '容缺受理',
  not_accepted: '不予受理',
  processing: '办理中',
  suspended: '已中止（特别程序）',
  concluded_approved: '已办结（准予）',
  concluded_denied: '已办结（不予许可）',
  result_delivered: '结果已送达',
  evaluated: '已评价',
  withdrawn: '已撤回',
  terminated: '已终止',
};

export const CASE_EVENT_LABELS_ZH: Readonly<Record<CaseEventType, string>> = {
  receive: '收件',
  inform_missing: '一次性告知',
  supplement: '补交材料',
  accept: '受理',
  refuse: '不予受理',
  forward: '转办至镇街',
  escalate: '上报县中心',
  claim: '领办',
  assign: '指派代办员',
  request_assistance: '发起部门协办',
  assistance_reply: '协办答复',
  return_for_correction: '退回补正',
  suspend: '中止（特别程序）',
  resume: '恢复办理',
  extend: '延期',
  conclude: '办结',
  deliver_result: '结果送达',
  rate: '评价',
  withdraw: '撤回',
  terminate: '终止',
  log: '工作日志',
};

/** 好差评 levels (1 best … 5 worst; 4 and 5 are 差评). */
export const RATING_LABELS_ZH: Readonly<Record<RatingLevel, string>> = {
  1: '非常满意',
  2: '满意',
  3: '基本满意',
  4: '不满意',
  5: '非常不满意',
};

/** The short name of the level a role works at, as a timeline shows who acted (村, 镇 …). */
export const ROLE_LEVEL_LABELS_ZH: Readonly<Record<Role, string>> = {
  village_helper: '村',
  town_lead: '镇',
  centre_agent: '县中心',
  dept_assistant: '部门',
  supervisor: '督办',
  it_admin: '信息',
};
