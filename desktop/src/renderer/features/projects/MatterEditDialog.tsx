import { useState } from 'react';
import { Alert, Checkbox, Form, InputNumber, message, Select } from 'antd';
import {
  dependencyRefusal,
  MATTER_MODE_LABELS_ZH,
  matterModesAllowed,
  PROJECT_STAGE_LABELS_ZH,
  type MatterMode,
  type ProjectEventType,
  type ProjectMatter,
  type ProjectState,
} from '@sibantong/shared';
import { useProjectWriter } from './projectWriter';
import { ProjectEventDialog } from './ProjectEventDialog';

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * 编辑审批事项 (centre): 办理方式 (the modes the matter's profile says apply), 计划工作日 and
 * 前置事项 among the listed matters. Only what changed is written — `set_mode`,
 * `set_duration`, `set_dependency` — and each field is offered only when the user may write
 * its event. A prerequisite that would close a cycle is refused here, with the shared rule's
 * message (`dependencyRefusal`), before anything is written.
 */
export function MatterEditDialog({
  state,
  matter,
  may,
  onClose,
}: {
  state: ProjectState;
  matter: ProjectMatter;
  may: (type: ProjectEventType) => boolean;
  onClose: () => void;
}) {
  const { write, busy, error } = useProjectWriter(state.projectId ?? '');
  const [modes, setModes] = useState<MatterMode[]>(matter.modes);
  const [days, setDays] = useState<number | null>(matter.durationDays);
  const [deps, setDeps] = useState<string[]>(matter.dependsOn);
  const cycle = may('set_dependency') ? dependencyRefusal(state, matter.matterKey, deps) : null;

  const save = async () => {
    if (cycle) return;
    const writes: Array<() => Promise<boolean>> = [];
    if (may('set_mode') && !sameSet(modes, matter.modes))
      writes.push(() => write('set_mode', { matterKey: matter.matterKey, modes }, null));
    if (may('set_duration') && days !== null && days !== matter.durationDays)
      writes.push(() =>
        write('set_duration', { matterKey: matter.matterKey, durationDays: days }, null),
      );
    if (may('set_dependency') && !sameSet(deps, matter.dependsOn))
      writes.push(() =>
        write('set_dependency', { matterKey: matter.matterKey, dependsOn: deps }, null),
      );
    // Each is its own event; a refusal stops the rest and stays shown in the dialog.
    for (const w of writes) if (!(await w())) return;
    if (writes.length > 0) void message.success(`已保存：${matter.name}`);
    onClose();
  };

  return (
    <ProjectEventDialog
      title={`编辑审批事项：${matter.name}`}
      testId="matter-edit-dialog"
      saveTestId="matter-edit-save"
      busy={busy}
      refusal={error}
      saveDisabled={cycle !== null}
      width={620}
      onSave={() => void save()}
      onClose={onClose}
    >
      <Form layout="vertical">
        <Form.Item label="阶段">{PROJECT_STAGE_LABELS_ZH[matter.stage]}</Form.Item>
        {may('set_mode') && (
          <Form.Item label="办理方式" extra="只列出该事项适用的方式">
            <Checkbox.Group
              data-testid="matter-edit-modes"
              value={modes}
              onChange={(v) => setModes(v as MatterMode[])}
              options={matterModesAllowed(matter).map((m) => ({
                value: m,
                label: MATTER_MODE_LABELS_ZH[m],
              }))}
            />
          </Form.Item>
        )}
        {may('set_duration') && (
          <Form.Item label="计划工作日">
            <InputNumber
              data-testid="matter-edit-days"
              min={0}
              max={1000}
              precision={0}
              value={days}
              onChange={(v) => setDays(typeof v === 'number' ? v : null)}
            />
          </Form.Item>
        )}
        {may('set_dependency') && (
          <Form.Item label="前置事项（须先办结的事项，即流程图的连线）">
            <Select
              data-testid="matter-edit-deps"
              mode="multiple"
              allowClear
              showSearch
              optionFilterProp="label"
              value={deps}
              onChange={setDeps}
              options={state.matters
                .filter((m) => m.matterKey !== matter.matterKey)
                .map((m) => ({ value: m.matterKey, label: m.name }))}
            />
          </Form.Item>
        )}
      </Form>
      {cycle && (
        <Alert
          type="error"
          showIcon
          data-testid="matter-edit-cycle"
          title={cycle.messageZh}
          description={`代码：${cycle.code}`}
        />
      )}
    </ProjectEventDialog>
  );
}
