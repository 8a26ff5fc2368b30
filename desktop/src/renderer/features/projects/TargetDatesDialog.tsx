import { useState } from 'react';
import { DatePicker, Form } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ProjectTargets } from '@sibantong/shared';
import { useProjectWriter } from './projectWriter';
import { ProjectEventDialog } from './ProjectEventDialog';

const asDay = (iso: string | null) => (iso ? dayjs(iso) : null);
const iso = (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null);

/**
 * 设置目标日期 (centre): the 开工 and 竣工 targets the 倒排时间表 counts back from
 * (`set_target`; both replace the former ones, either may be left open).
 */
export function TargetDatesDialog({
  projectId,
  targets,
  onClose,
}: {
  projectId: string;
  targets: ProjectTargets;
  onClose: () => void;
}) {
  const { write, busy, error } = useProjectWriter(projectId);
  const [start, setStart] = useState<Dayjs | null>(asDay(targets.startDate));
  const [completion, setCompletion] = useState<Dayjs | null>(asDay(targets.completionDate));
  const save = async () => {
    const ok = await write(
      'set_target',
      { startDate: iso(start), completionDate: iso(completion) },
      '目标日期已保存，倒排时间表已按新目标重排',
    );
    if (ok) onClose();
  };
  return (
    <ProjectEventDialog
      title="设置目标日期"
      testId="target-dialog"
      saveTestId="target-save"
      busy={busy}
      refusal={error}
      onSave={() => void save()}
      onClose={onClose}
    >
      <Form layout="vertical">
        <Form.Item
          label="目标开工日期"
          extra="立项用地规划许可、工程建设许可、施工许可阶段的事项须在此前办结"
        >
          <DatePicker data-testid="target-start" value={start} onChange={setStart} />
        </Form.Item>
        <Form.Item label="目标竣工日期" extra="竣工验收阶段的事项须在此前办结">
          <DatePicker data-testid="target-completion" value={completion} onChange={setCompletion} />
        </Form.Item>
      </Form>
    </ProjectEventDialog>
  );
}
