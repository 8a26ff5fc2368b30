/**
 * Refusal codes the hub adds to the shared case machine's own (CASE_ERROR_CODES). Codes are
 * stable: clients show the message and keep the row in their outbox; programs key on the code.
 */
export const HUB_PUSH_CODES = {
  DELETE_FORBIDDEN: '办件不能删除，只能撤回或终止',
  CASE_SCHEMA_INVALID: '办件格式不正确',
  ASSUMED_MASTER_MISMATCH: '提交的基准版本与办件不符',
  HISTORY_SHORTENED: '提交的办件缺少已同步过的事件记录，历史只能追加不能删减',
  EVENT_IMMUTABLE: '已同步的事件不能修改',
  EVENT_HUBTIME_FORGED: '新事件不能自带枢纽接收时间',
  EVENT_ACTOR_NOT_CALLER: '只能提交本人办理的事件',
  EVENT_ACTOR_FORGED: '事件中的角色或单位与登录用户不符',
  EVENT_DEVICE_MISMATCH: '只能提交本设备记录的事件',
  OFFICIAL_NO_FORGED: '正式办件编号由枢纽赋予，客户端不能设置或修改',
  DEADLINES_FORGED: '办结时限由枢纽计算，客户端不能设置或修改',
  FORMER_UNITS_FORGED: '办件的历史经办单位由枢纽维护，客户端不能修改',
  CASE_IDENTITY_CHANGED: '办件的基本信息（事项、编号、申请人、受理单位）不能修改',
  CASE_HEADER_MISMATCH: '办件基本信息与收件记录不一致',
  UNKNOWN_MATTER: '事项目录中没有该事项',
  ORIGIN_UNIT_MISMATCH: '收件单位必须是收件人所在单位',
  TOWN_MISMATCH: '办件所属乡镇与收件单位不符',
  APPLICANT_DIGEST_MISMATCH: '申请人证件摘要与证件号码不符',
  OUT_OF_SCOPE: '该办件不在您的办理范围内',
  CASE_ID_INVALID: '办件编号无效',
  APPLICANT_ID_INVALID: '申请人证件号码无效',
  APPLICANT_PHONE_INVALID: '申请人联系电话无效',
  APPLICANT_MASK_MISMATCH: '申请人证件号码的脱敏显示与证件号码不符（脱敏字段不能存放完整号码）',
  AGENT_ID_INVALID: '代办人身份证号码无效',
  AGENT_PHONE_INVALID: '代办人联系电话无效',
  ROW_TOO_LARGE: '本件提交内容过大，请分批提交',
  CASE_TOO_LARGE: '办件记录已达容量上限，不能再追加，请联系信息管理员',
  ROW_UNPROCESSABLE: '办件内容无法处理，请联系信息管理员',
} as const;

export type HubPushCode = keyof typeof HUB_PUSH_CODES;

/** Whole-request refusals of POST /api/sync/cases/push (HTTP 4xx, no row processed). */
export const PUSH_REQUEST_CODES = {
  PUSH_TOO_MANY_ROWS: '一次提交的办件过多，请分批提交',
} as const;

export const MAX_PUSH_ROWS = 100;
