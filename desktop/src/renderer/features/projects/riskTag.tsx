import { Tag } from 'antd';
import { PROJECT_RISK_LABELS_ZH, type ProjectRisk } from '@sibantong/shared';

const COLORS: Record<ProjectRisk['level'], string> = {
  overdue: 'red',
  invalid: 'magenta',
  at_risk: 'orange',
  on_track: 'green',
  no_target: 'default',
};

export function RiskTag({ risk }: { risk: Pick<ProjectRisk, 'level'> | null }) {
  if (!risk) return <Tag data-testid="risk-unknown">计算中</Tag>;
  return (
    <Tag color={COLORS[risk.level]} data-testid={`risk-${risk.level}`}>
      {PROJECT_RISK_LABELS_ZH[risk.level]}
    </Tag>
  );
}
