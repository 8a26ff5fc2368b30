import type { CaseEventType, CaseStatus, RatingLevel } from '@sibantong/shared';

export const STATUS_LABELS: Record<CaseStatus, string> = {
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

export const EVENT_LABELS: Record<CaseEventType, string> = {
  receive: '收件',
  inform_missing: '一次性告知',
  supplement: '补充材料',
  accept: '受理',
  refuse: '不予受理',
  forward: '转办至乡镇',
  escalate: '上报县中心',
  claim: '认领',
  assign: '指派',
  request_assistance: '请求部门协办',
  assistance_reply: '部门回复意见',
  return_for_correction: '退回补正',
  suspend: '中止（特别程序）',
  resume: '恢复办理',
  extend: '延期',
  conclude: '办结',
  deliver_result: '送达结果',
  rate: '好差评',
  withdraw: '撤回',
  terminate: '终止',
  log: '工作日志',
};

export const RATING_LABELS: Record<RatingLevel, string> = {
  1: '非常满意',
  2: '满意',
  3: '基本满意',
  4: '不满意',
  5: '非常不满意',
};

export const LEVEL_LABELS: Record<string, string> = {
  village_helper: '村',
  town_lead: '镇',
  centre_agent: '县中心',
  dept_assistant: '部门',
  supervisor: '督办',
  it_admin: '信息',
};
