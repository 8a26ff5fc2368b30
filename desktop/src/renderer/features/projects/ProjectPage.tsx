import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Descriptions, message, Space, Tabs, Tag } from 'antd';
import {
  deriveProjectState,
  mayActOnProject,
  PROJECT_CATEGORY_LABELS_ZH,
  PROJECT_STAGE_LABELS_ZH,
  PROJECT_STATUS_LABELS_ZH,
  projectRisk,
  projectSchedule,
  weeklyReport,
  type ProjectDoc,
  type ProjectScheduleResult,
} from '@sibantong/shared';
import { useApp } from '../../appContext';
import { projectStoreOf } from '../../db/projectsCollection';
import { PrintPreview } from '../printing/PrintPreview';
import { FlowChart } from './FlowChart';
import { ProjectSummaryPrint } from './ProjectSummaryPrint';
import { WeeklyReportPrint } from './WeeklyReportPrint';
import { downloadWorkbook, projectWorkbook } from './projectWorkbook';
import { LogTab } from './LogTab';
import { MattersTab } from './MattersTab';
import { PlanTab } from './PlanTab';
import { ProjectRecordActions } from './ProjectRecordActions';
import { RiskTag } from './riskTag';
import { TeamTab } from './TeamTab';
import { TimetableTab } from './TimetableTab';
import { todayChina, useLinkedCases, useProjectRefs, useProjectRefusals } from './useProjects';

/** One project: record, team, list, flow chart, 倒排时间表, work log and weekly plan. */
export function ProjectPage({ projectId }: { projectId: string }) {
  const { db, user, navigate } = useApp();
  const refs = useProjectRefs(db);
  const [doc, setDoc] = useState<ProjectDoc | null | undefined>(undefined);
  const [printing, setPrinting] = useState<'summary' | 'weekly' | null>(null);
  const [exporting, setExporting] = useState(false);
  useEffect(() => {
    const store = projectStoreOf(db);
    if (!store) return setDoc(null);
    const sub = store.projects
      .findOne(projectId)
      .$.subscribe((d) => setDoc(d ? (d.toMutableJSON() as ProjectDoc) : null));
    return () => sub.unsubscribe();
  }, [db, projectId]);
  const state = useMemo(() => (doc ? deriveProjectState(doc.events) : null), [doc]);
  const states = useMemo(() => (state ? [state] : []), [state]);
  const cases = useLinkedCases(db, states);
  const refusals = useProjectRefusals(db, projectId);
  const today = todayChina();
  const schedule = useMemo((): ProjectScheduleResult | null | Error => {
    if (!state || !refs) return null;
    try {
      return projectSchedule(state, cases, today, refs.calendar);
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  }, [state, cases, refs, today]);

  if (doc === undefined || !refs) return <Card loading />;
  if (!doc || !state || !state.info)
    return <Alert type="warning" showIcon message="本设备上没有该项目（可能已不在您的范围内）" />;
  const may = (t: Parameters<typeof mayActOnProject>[2]) =>
    mayActOnProject(user, state, t, refs.org);
  const risk = projectRisk(state, cases, today, refs.calendar);
  const sched = schedule instanceof Error ? null : schedule;
  return (
    <Card
      data-testid="project-page"
      title={
        <Space>
          {state.info.name}
          <RiskTag risk={risk} />
        </Space>
      }
      extra={
        <Space>
          <Button onClick={() => setPrinting('summary')} data-testid="project-print">
            打印项目代办服务单
          </Button>
          <Button onClick={() => setPrinting('weekly')} data-testid="project-print-weekly">
            打印周工作计划
          </Button>
          <Button
            loading={exporting}
            data-testid="project-export-xlsx"
            onClick={() => {
              setExporting(true);
              projectWorkbook(state, sched, today)
                .then((data) => downloadWorkbook(data, `${state.info!.name}-${today}.xlsx`))
                .catch(() => void message.error('导出失败，请重试'))
                .finally(() => setExporting(false));
            }}
          >
            导出 Excel
          </Button>
          <Button onClick={() => navigate({ page: 'projects' })}>返回项目列表</Button>
        </Space>
      }
    >
      <PrintPreview
        open={printing === 'summary'}
        title="项目代办服务单"
        onClose={() => setPrinting(null)}
      >
        <ProjectSummaryPrint state={state} schedule={sched} org={refs.org} today={today} />
      </PrintPreview>
      <PrintPreview
        open={printing === 'weekly'}
        title="周工作计划"
        onClose={() => setPrinting(null)}
      >
        <WeeklyReportPrint state={state} report={weeklyReport(state, today)} today={today} />
      </PrintPreview>
      {refusals.map((r) => (
        <Alert
          key={r.id}
          type="error"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="project-refusal"
          message={`中心拒绝了本设备的修改（${r.refusedEventTypes.join('、')}）：${r.message}`}
        />
      ))}
      <ProjectRecordActions state={state} units={refs.units} may={may} />
      <Descriptions size="small" column={3} bordered style={{ marginBottom: 12 }}>
        <Descriptions.Item label="投资项目统一代码">
          {state.info.projectCode ?? '尚未赋码'}
        </Descriptions.Item>
        <Descriptions.Item label="类别">
          {PROJECT_CATEGORY_LABELS_ZH[state.info.category]}
        </Descriptions.Item>
        <Descriptions.Item label="总投资">{state.info.investmentWan} 万元</Descriptions.Item>
        <Descriptions.Item label="建设单位">{state.info.owner.name}</Descriptions.Item>
        <Descriptions.Item label="联系人">
          {state.info.owner.contactName} {state.info.owner.contactPhone}
        </Descriptions.Item>
        <Descriptions.Item label="项目地点">
          {refs.org?.unit(state.info.siteUnitId)?.name ?? state.info.siteUnitId}{' '}
          {state.info.siteAddress}
        </Descriptions.Item>
        <Descriptions.Item label="阶段">
          <span data-testid="project-stage">{PROJECT_STAGE_LABELS_ZH[state.stage]}</span>
        </Descriptions.Item>
        <Descriptions.Item label="状态">
          <span data-testid="project-status">{PROJECT_STATUS_LABELS_ZH[state.status]}</span>
        </Descriptions.Item>
        <Descriptions.Item label="目标">
          <span data-testid="project-targets">
            开工 {state.targets.startDate ?? '未定'} / 竣工 {state.targets.completionDate ?? '未定'}
          </span>
        </Descriptions.Item>
      </Descriptions>
      {schedule instanceof Error && <Alert type="error" showIcon message={schedule.message} />}
      {state.voidEvents.length > 0 && (
        <Tag color="orange">有 {state.voidEvents.length} 条并发修改未生效（保留在历史中）</Tag>
      )}
      <Tabs
        items={[
          {
            key: 'team',
            label: '服务团队（1+1+N）',
            children: <TeamTab state={state} org={refs.org} canEdit={may('set_team')} />,
          },
          {
            key: 'matters',
            label: '审批事项清单',
            children: <MattersTab state={state} cases={cases} refs={refs} may={may} />,
          },
          {
            key: 'flow',
            label: '审批流程图',
            children: (
              <FlowChart matters={state.matters} critical={new Set(sched?.criticalPath ?? [])} />
            ),
          },
          {
            key: 'timetable',
            label: '倒排时间表',
            children: <TimetableTab state={state} schedule={sched} today={today} />,
          },
          {
            key: 'log',
            label: '审批工作日志',
            children: <LogTab state={state} canWrite={may('log_entry')} today={today} />,
          },
          {
            key: 'plan',
            label: '周工作计划',
            children: <PlanTab state={state} canWrite={may('plan_item')} today={today} />,
          },
        ]}
      />
    </Card>
  );
}
