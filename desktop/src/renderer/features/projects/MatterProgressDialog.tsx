import { useState } from 'react';
import { DatePicker, Form, Input } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ProjectMatter } from '@sibantong/shared';
import { useProjectWriter } from './projectWriter';
import { ProjectEventDialog } from './ProjectEventDialog';

const iso = (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null);

/**
 * 填写办理进度 of a matter handled outside the county's cases (e.g. at the province):
 * `set_matter_progress` with its actual start and finish. Offered only for a matter no case
 * backs — a linked case gives the dates, and the rule refuses typed ones
 * (PROJECT_CASE_BACKED_DATES).
 */
export function MatterProgressDialog({
  projectId,
  matter,
  onClose,
}: {
  projectId: string;
  matter: ProjectMatter;
  onClose: () => void;
}) {
  const { write, busy, error } = useProjectWriter(projectId);
  const [started, setStarted] = useState<Dayjs | null>(
    matter.manualProgress?.startedOn ? dayjs(matter.manualProgress.startedOn) : null,
  );
  const [finished, setFinished] = useState<Dayjs | null>(
    matter.manualProgress?.finishedOn ? dayjs(matter.manualProgress.finishedOn) : null,
  );
  const [note, setNote] = useState('');
  const save = async () => {
    const ok = await write(
      'set_matter_progress',
      {
        matterKey: matter.matterKey,
        startedOn: iso(started),
        finishedOn: iso(finished),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
      `已记录办理进度：${matter.name}`,
    );
    if (ok) onClose();
  };
  return (
    <ProjectEventDialog
      title={`填写办理进度：${matter.name}`}
      testId="matter-progress-dialog"
      saveTestId="matter-progress-save"
      busy={busy}
      refusal={error}
      onSave={() => void save()}
      onClose={onClose}
    >
      <Form layout="vertical">
        <Form.Item label="开始办理日期" extra="在县外（如省级）办理、未在本系统立案的事项">
          <DatePicker data-testid="matter-progress-start" value={started} onChange={setStarted} />
        </Form.Item>
        <Form.Item label="办结日期（未办结可留空）">
          <DatePicker
            data-testid="matter-progress-finish"
            value={finished}
            onChange={setFinished}
          />
        </Form.Item>
        <Form.Item label="说明">
          <Input.TextArea
            data-testid="matter-progress-note"
            maxLength={500}
            rows={2}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="如：省发改委在线平台办理，已取得批复文号"
          />
        </Form.Item>
      </Form>
    </ProjectEventDialog>
  );
}
