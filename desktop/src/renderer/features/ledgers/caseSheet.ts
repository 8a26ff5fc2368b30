/**
 * Columns of a case list as shown and exported (drill-down lists, 帮办代办台账, 好差评台账).
 * Personal data is masked (shared maskName / the stored masked ID) unless the user's role
 * may see it in full (shared `roleSeesFullIdentity`) and this PC holds the case — the full
 * identity never comes from the figure routes, only from the PC's own encrypted copy.
 */
import {
  CASE_STATUS_LABELS_ZH,
  caseListRow,
  chinaDate,
  roleSeesFullIdentity,
  type CaseDoc,
  type CaseStatus,
  type Role,
} from '@sibantong/shared';
import type { FigureCaseRow } from '@sibantong/shared';
import type { AppDatabase } from '../../db/database';
import type { SheetColumn } from './exportXlsx';

export interface Names {
  unit: (id: string | null | undefined) => string;
  matter: (code: string) => string;
}

export interface FullIdentity {
  name: string;
  idNumber: string;
  phone: string;
}

/** Full identities of the listed cases this PC holds, when the role may see them. */
export async function fullIdentities(
  db: AppDatabase,
  role: Role,
  ids: readonly string[],
): Promise<Map<string, FullIdentity>> {
  const out = new Map<string, FullIdentity>();
  if (!roleSeesFullIdentity(role) || ids.length === 0) return out;
  const docs = await db.cases.findByIds([...ids]).exec();
  for (const [id, d] of docs) {
    const c = d.toJSON() as unknown as CaseDoc;
    out.set(id, {
      name: c.applicant.name,
      idNumber: c.applicant.idNumber,
      phone: c.applicant.phone,
    });
  }
  return out;
}

export const statusLabel = (s: string): string => CASE_STATUS_LABELS_ZH[s as CaseStatus] ?? s;

export function caseColumns(
  names: Names,
  identity: ReadonlyMap<string, FullIdentity>,
  dateHeader: string,
): SheetColumn<FigureCaseRow>[] {
  return [
    { header: '办件编号', width: 22, value: (r) => r.officialNo ?? r.provisionalNo },
    { header: dateHeader, width: 12, value: (r) => r.at },
    { header: '事项', width: 30, value: (r) => names.matter(r.matterCode) },
    { header: '镇街', width: 12, value: (r) => names.unit(r.townId) },
    { header: '受理村（社区）', width: 14, value: (r) => names.unit(r.originUnitId) },
    { header: '当前办理单位', width: 16, value: (r) => names.unit(r.holderUnitId) },
    {
      header: '申请人',
      width: 12,
      value: (r) => identity.get(r.id)?.name ?? r.applicantNameMasked,
    },
    {
      header: '证件号码',
      width: 22,
      value: (r) => identity.get(r.id)?.idNumber ?? r.applicantIdMasked,
    },
    { header: '帮办代办', width: 10, value: (r) => (r.assisted ? '是' : '否') },
    { header: '状态', width: 12, value: (r) => statusLabel(r.status) },
    { header: '承诺办结日期', width: 14, value: (r) => r.promisedDue ?? '—' },
  ];
}

/** A case this PC holds, as a list row (the same columns as the hub's drill-down lists). */
export function rowOfCase(doc: CaseDoc): FigureCaseRow {
  const receive = doc.events.find((e) => e.type === 'receive');
  return caseListRow(doc, chinaDate(receive?.hubTime ?? receive?.deviceTime ?? doc.updatedAt));
}
