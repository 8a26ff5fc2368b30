import { Button } from 'antd';
import { chinaDateTime, roleSeesFullIdentity, type CaseDoc } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { useMatters, useOrgUnits } from '../../hooks/useReference';
import { caseColumns, rowOfCase, type FullIdentity } from './caseSheet';
import { downloadXlsx } from './exportXlsx';

/**
 * Exports a case list as filtered on screen to .xlsx. The cases are this PC's own copies:
 * a window role gets the full identity, any other role the masked one (caseSheet.ts).
 */
export function ExportCasesButton({ cases, title }: { cases: readonly CaseDoc[]; title: string }) {
  const { user } = useApp();
  const org = useOrgUnits();
  const matters = useMatters();
  const exportNow = () => {
    const identity = new Map<string, FullIdentity>();
    if (roleSeesFullIdentity(user.role)) {
      for (const c of cases) {
        identity.set(c.id, {
          name: c.applicant.name,
          idNumber: c.applicant.idNumber,
          phone: c.applicant.phone,
        });
      }
    }
    const cols = caseColumns(
      { unit: org.name, matter: (code) => matters.byCode.get(code)?.name ?? code },
      identity,
      '收件日期',
    );
    return downloadXlsx(
      title,
      title,
      `导出时间 ${chinaDateTime(new Date().toISOString())} · 共 ${cases.length} 件`,
      cols,
      cases.map(rowOfCase),
    );
  };
  return (
    <Button
      onClick={() => void exportNow()}
      disabled={cases.length === 0}
      data-testid="cases-export"
    >
      导出 Excel
    </Button>
  );
}
