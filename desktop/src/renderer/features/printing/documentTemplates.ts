/**
 * The documents a window issues, as data: one list of templates, one renderer
 * (DocumentSheet.tsx). A template names when it may be issued (`requires`, checked against the
 * case's derived state by `documentRefusal`) and its blocks; text blocks fill `{field}`
 * placeholders from documentFields.ts. Adding a document is adding an entry here; the
 * 受理回执 and 一次性告知单 the counter prints after 收件/受理 are entries like the others.
 */
import type { DocumentData } from './documentFields';
import { receiptRefusal } from './receiptRules';

export type DocumentRequirement =
  | 'received'
  | 'corrections'
  | 'receipt'
  | 'accepted'
  | 'refused'
  | 'deferred'
  | 'agent'
  | 'agencyEnded'
  | 'concluded';

export type DocumentTemplateId =
  | 'materials-receipt'
  | 'correction-notice'
  | 'acceptance-receipt'
  | 'acceptance-notice'
  | 'refusal-decision'
  | 'deferred-notice'
  | 'deferred-commitment'
  | 'agency-mandate'
  | 'agency-close'
  | 'service-receipt'
  | 'completion-notice';

/** A labelled line; with `when`, shown only when that field is filled. */
export type DocumentLine = readonly [label: string, text: string, when?: string];

export type DocumentBlock =
  | { kind: 'para'; text: string; when?: string }
  | { kind: 'fields'; rows: ReadonlyArray<readonly [label: string, text: string]> }
  | { kind: 'materials' }
  /** The 一次性告知 table: every missing or wrong material with its problem. */
  | { kind: 'corrections' }
  | { kind: 'signatures'; labels: readonly string[] }
  | { kind: 'sign'; items: readonly string[] };

export interface DocumentTemplate {
  id: DocumentTemplateId;
  /** The name in the document list and of the saved PDF. */
  title: string;
  /** The title printed on the paper, when it differs (the 受理回执's spaced heading). */
  heading?: string;
  /** Every requirement must hold (see REQUIREMENTS). */
  requires: readonly DocumentRequirement[];
  /** Print the case number as a QR code, in the header beside `head`. */
  qr: boolean;
  /** Lines under the title, beside the QR code (the case's particulars on a receipt). */
  head?: readonly DocumentLine[];
  blocks: readonly DocumentBlock[];
}

const ISSUER: DocumentBlock = {
  kind: 'sign',
  items: ['{unitName}（盖章）', '经办人：{staffName}', '{today}'],
};

const REVIEW_RIGHTS =
  '如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。';

export const DOCUMENT_TEMPLATES: readonly DocumentTemplate[] = [
  {
    id: 'materials-receipt',
    title: '收件凭证',
    requires: ['received'],
    qr: true,
    blocks: [
      {
        kind: 'para',
        text: '{applicantName}：本单位于 {receivedAt} 收到您申请“{matterName}”的下列材料，收件编号 {provisionalNo}。',
      },
      { kind: 'materials' },
      {
        kind: 'para',
        text: '本凭证仅证明已收到上述材料，不代表已受理；是否受理将依法另行书面告知。请妥善保管，凭本凭证查询办理进度。',
      },
      ISSUER,
    ],
  },
  {
    id: 'correction-notice',
    title: '一次性告知单',
    requires: ['corrections'],
    qr: false,
    blocks: [
      {
        kind: 'para',
        text: '{applicantName}：您申请的“{matterName}”（编号 {provisionalNo}），经审查尚需补充以下材料，现一次性告知如下：',
      },
      { kind: 'corrections' },
      {
        kind: 'para',
        text: '容缺受理：您已签署容缺承诺书，请于 {deferredDue} 前补齐上述容缺材料，逾期未补齐的将终止办理。',
        when: 'deferredDue',
      },
      { kind: 'para', text: '请于 {correctionDays} 个工作日内补正。', when: 'correctionDays' },
      {
        kind: 'sign',
        items: ['告知单位：{informUnitName}', '经办人：{informedBy}', '{informedDay}'],
      },
    ],
  },
  {
    // 行政许可法 §32: the dated written acceptance the applicant takes home.
    id: 'acceptance-receipt',
    title: '受理回执',
    heading: '受 理 回 执',
    requires: ['receipt'],
    qr: true,
    head: [
      ['临时编号', '{provisionalNo}'],
      ['正式编号', '{officialNoIssued}', 'officialNoIssued'],
      ['申请事项', '{matterName}'],
      ['申请人', '{applicantName}（证件号 {applicantIdMasked}）'],
      ['承诺办结日期', '{promisedDue}'],
    ],
    blocks: [
      { kind: 'materials' },
      {
        kind: 'para',
        text: '容缺受理：申请人已签署容缺承诺书，容缺材料 {deferredItems} 须于 {deferredDue} 前补齐，逾期未补齐的将终止办理。',
        when: 'deferredDue',
      },
      { kind: 'para', text: '凭本回执查询办理进度、领取办理结果。' },
      {
        kind: 'sign',
        items: ['受理单位：{acceptUnitName}', '经办人：{acceptedBy}', '受理时间 {acceptedAt}'],
      },
    ],
  },
  {
    id: 'acceptance-notice',
    title: '受理通知书',
    requires: ['accepted'],
    qr: true,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['编号', '{caseNo}'],
          ['申请事项', '{matterName}'],
        ],
      },
      {
        kind: 'para',
        text: '{applicantName}：你（单位）于 {receivedDay} 提出的“{matterName}”申请，经审查，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。',
      },
      {
        kind: 'para',
        text: '承诺办结日期：{promisedDue}。请凭本通知书查询办理进度、领取办理结果。',
      },
      ISSUER,
    ],
  },
  {
    id: 'refusal-decision',
    title: '不予受理决定书',
    requires: ['refused'],
    qr: false,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['编号', '{provisionalNo}'],
          ['申请事项', '{matterName}'],
        ],
      },
      {
        kind: 'para',
        text: '{applicantName}：你（单位）于 {receivedDay} 提出的“{matterName}”申请，经审查，决定不予受理。',
      },
      { kind: 'para', text: '理由：{refuseReason}' },
      { kind: 'para', text: '办理指引：{refuseGuidance}', when: 'refuseGuidance' },
      { kind: 'para', text: REVIEW_RIGHTS },
      {
        kind: 'sign',
        items: ['{unitName}（盖章）', '批准人：{refuseApprover}', '决定日期：{refusedDay}'],
      },
    ],
  },
  {
    id: 'deferred-notice',
    title: '容缺受理通知书',
    requires: ['deferred'],
    qr: true,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['编号', '{caseNo}'],
          ['申请事项', '{matterName}'],
        ],
      },
      {
        kind: 'para',
        text: '{applicantName}：你（单位）提出的“{matterName}”申请，主要材料齐全，次要材料 {deferredItems} 尚未提供。根据容缺受理制度及你（单位）签署的承诺书，决定予以容缺受理。',
      },
      {
        kind: 'para',
        text: '请于 {deferredDue} 前补齐上述容缺材料；逾期未补齐的，将终止办理。补齐后按承诺办结日期 {promisedDue} 办结。',
      },
      ISSUER,
    ],
  },
  {
    id: 'deferred-commitment',
    title: '容缺受理承诺书',
    requires: ['deferred'],
    qr: false,
    blocks: [
      {
        kind: 'para',
        text: '本人（单位）{applicantName}（证件号 {applicantIdMasked}）申请办理“{matterName}”（编号 {provisionalNo}），自愿申请容缺受理，现郑重承诺：',
      },
      { kind: 'para', text: '一、于 {deferredDue} 前补齐以下容缺材料：{deferredItems}；' },
      { kind: 'para', text: '二、所补材料真实、合法、有效，与已提交材料内容一致；' },
      {
        kind: 'para',
        text: '三、逾期未补齐或所补材料不符合要求的，同意终止办理，并承担由此产生的一切后果。',
      },
      { kind: 'signatures', labels: ['承诺人（签字或盖章）', '日期'] },
    ],
  },
  {
    id: 'agency-mandate',
    title: '代办服务委托书',
    requires: ['agent'],
    qr: false,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['委托人', '{applicantName}（证件号 {applicantIdMasked}）'],
          ['受托人（代办员）', '{agentName}（证件号 {agentIdMasked}）'],
          ['代办事项', '{matterName}（编号 {provisionalNo}）'],
          ['代办单位', '{originUnitName}'],
        ],
      },
      {
        kind: 'para',
        text: '委托人自愿委托受托人代为办理上述事项的申请、材料递交、补正、进度查询和结果领取。代办服务免费，受托人不得收取任何费用；委托人对所提供材料的真实性负责。本委托自签字之日起至代办事项办结或终止之日止。',
      },
      { kind: 'signatures', labels: ['委托人（签字）', '受托人（签字）', '日期'] },
    ],
  },
  {
    id: 'agency-close',
    title: '代办服务办结（终止）单',
    requires: ['agent', 'agencyEnded'],
    qr: false,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['委托人', '{applicantName}'],
          ['代办员', '{agentName}'],
          ['代办事项', '{matterName}（编号 {caseNo}）'],
          ['代办结果', '{agencyOutcome}'],
          ['结果日期', '{agencyEndDay}'],
        ],
      },
      {
        kind: 'para',
        text: '上述代办事项已办结（或终止），代办员已将办理结果及全部原件材料交还委托人，代办关系自即日起解除。',
      },
      { kind: 'signatures', labels: ['委托人（签字）', '代办员（签字）', '日期'] },
    ],
  },
  {
    id: 'service-receipt',
    title: '送达回证',
    requires: ['concluded'],
    qr: true,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['送达文书', '{matterName}办理结果 {resultName} {resultNo}'],
          ['文书编号', '{caseNo}'],
          ['受送达人', '{applicantName}'],
          ['送达地点', '{deliverUnitName}'],
          ['送达方式', '{deliverMethod}'],
          ['签收人', '{recipientName}'],
          ['签收日期', '{deliveredDay}'],
        ],
      },
      { kind: 'signatures', labels: ['受送达人（签字）', '送达人（签字）', '日期'] },
      ISSUER,
    ],
  },
  {
    id: 'completion-notice',
    title: '办结通知',
    requires: ['concluded'],
    qr: true,
    blocks: [
      {
        kind: 'para',
        text: '{applicantName}：你（单位）申请的“{matterName}”（编号 {caseNo}）已于 {concludedDay} 办结，办理结果：{conclusion}。',
      },
      { kind: 'para', text: '结果文书：{resultName} {resultNo}', when: 'resultName' },
      { kind: 'para', text: '办理意见：{conclusionOpinion}', when: 'conclusionOpinion' },
      {
        kind: 'para',
        text: '请携带本通知及有效身份证件到 {deliverUnitName} 领取办理结果。',
      },
      ISSUER,
    ],
  },
];

/** Why a requirement does not hold, in Chinese (null when it holds). */
const REQUIREMENTS: Record<DocumentRequirement, (d: DocumentData) => string | null> = {
  received: ({ state: s }) => (s.status === null ? '办件尚未收件' : null),
  corrections: (d) => (d.corrections.length === 0 ? '材料齐全，无需一次性告知' : null),
  receipt: ({ state: s }) => receiptRefusal(s),
  accepted: ({ state: s }) => (s.acceptedAt === null ? '本件尚未受理' : null),
  refused: ({ state: s }) => (s.status === 'not_accepted' ? null : '本件未作出不予受理决定'),
  // The accept event's 容缺 (the papers of that acceptance stay printable once the items arrive).
  deferred: ({ state: s, fields: f }) =>
    s.acceptedAt !== null && f.deferredDue ? null : '本件不是容缺受理',
  agent: ({ fields: f }) => (f.agentName ? null : '本件不是帮办代办（未登记代办人）'),
  agencyEnded: ({ state: s }) =>
    s.conclusion !== null || ['terminated', 'withdrawn', 'not_accepted'].includes(s.status ?? '')
      ? null
      : '代办事项尚未办结或终止',
  concluded: ({ state: s }) => (s.conclusion === null ? '本件尚未办结' : null),
};

/** Null when the document may be issued for this case; else the Chinese reason. */
export function documentRefusal(t: DocumentTemplate, data: DocumentData): string | null {
  for (const r of t.requires) {
    const why = REQUIREMENTS[r](data);
    if (why) return why;
  }
  return null;
}

/** The template of that id (the ids are this list's, so a missing one is a programming error). */
export function documentTemplate(id: DocumentTemplateId): DocumentTemplate {
  const t = DOCUMENT_TEMPLATES.find((x) => x.id === id);
  if (!t) throw new Error(`no document template ${id}`);
  return t;
}
