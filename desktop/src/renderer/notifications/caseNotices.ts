import type { CaseDoc, CaseStatus, SessionUser } from '@sibantong/shared';

/** Something a person at this PC should hear about without looking at a list. */
export interface CaseNotice {
  kind: 'arrived' | 'result' | 'assistance';
  caseId: string;
  provisionalNo: string;
  title: string;
  body: string;
}

type Me = Pick<SessionUser, 'userId' | 'role' | 'orgUnitId'>;
type CaseView = Pick<
  CaseDoc,
  'id' | 'provisionalNo' | 'status' | 'holderUnitId' | 'assistingDeptIds' | 'events'
>;

const CONCLUDED: readonly CaseStatus[] = ['concluded_approved', 'concluded_denied'];

/**
 * What a change of one case (as stored locally: a replicated pull or a local write) means for
 * this user: a case arrived at their unit, its result came back to their window, or their
 * department was asked to assist. Only changes made elsewhere count: the events new in `next`
 * must include one not recorded on this device, so a person is never told about their own act.
 */
export function noticeFor(
  prev: CaseView | undefined,
  next: CaseView,
  me: Me,
  deviceId: string,
): CaseNotice | null {
  if (me.role === 'supervisor' || me.role === 'it_admin') return null;
  const known = new Set((prev?.events ?? []).map((e) => e.id));
  const fresh = next.events.filter((e) => !known.has(e.id));
  if (!fresh.some((e) => e.deviceId !== deviceId)) return null;
  const base = { caseId: next.id, provisionalNo: next.provisionalNo };
  const nowHere = next.holderUnitId === me.orgUnitId;
  const wasHere = prev?.holderUnitId === me.orgUnitId;
  if (nowHere && CONCLUDED.includes(next.status) && !CONCLUDED.includes(prev?.status ?? 'received'))
    return {
      ...base,
      kind: 'result',
      title: '办理结果已返回',
      body: `办件 ${next.provisionalNo} 已${next.status === 'concluded_approved' ? '准予' : '不予许可'}办结，请通知申请人领取结果`,
    };
  if (nowHere && !wasHere && !CONCLUDED.includes(next.status))
    return {
      ...base,
      kind: 'arrived',
      title: next.status === 'correction_required' ? '办件被退回补正' : '新办件到达',
      body: `办件 ${next.provisionalNo} 已转到本单位，请及时办理`,
    };
  const askedNow = next.assistingDeptIds.includes(me.orgUnitId);
  const askedBefore = prev?.assistingDeptIds.includes(me.orgUnitId) ?? false;
  if (me.role === 'dept_assistant' && askedNow && !askedBefore)
    return {
      ...base,
      kind: 'assistance',
      title: '新的协办请求',
      body: `办件 ${next.provisionalNo} 请求本部门协办`,
    };
  return null;
}

/** Many notices at once (a PC back online after a day): one summary instead of a flood. */
export function summarise(notices: readonly CaseNotice[]): CaseNotice[] {
  if (notices.length <= 3) return [...notices];
  const count = (k: CaseNotice['kind']) => notices.filter((n) => n.kind === k).length;
  const parts = [
    count('arrived') ? `新到达 ${count('arrived')} 件` : '',
    count('result') ? `结果返回 ${count('result')} 件` : '',
    count('assistance') ? `协办请求 ${count('assistance')} 件` : '',
  ].filter(Boolean);
  return [
    {
      kind: 'arrived',
      caseId: '',
      provisionalNo: '',
      title: `有 ${notices.length} 件办件需要您处理`,
      body: parts.join('，'),
    },
  ];
}
