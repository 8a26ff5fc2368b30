/** Chinese names of statuses and events, used in refusal messages and on screen. */
import type { CaseEventType, CaseStatus } from './caseTypes.js';

export const CASE_STATUS_LABELS_ZH: Readonly<Record<CaseStatus, string>> = {
  received: '已收件',
  correction_required: '待补正',
  accepted: '已受理',
  accepted_deferred: '容缺受理',
  not_accepted: '不予受理',
  processing: '办理中',
  suspended: '已中止(特别程序)',
  concluded_approved: '已办结(准予)',
  concluded_denied: '已办结(不予许可)',
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
  suspend: '中止(特别程序)',
  resume: '恢复办理',
  extend: '延期',
  conclude: '办结',
  deliver_result: '结果送达',
  rate: '评价',
  withdraw: '撤回',
  terminate: '终止',
  log: '工作日志',
};
