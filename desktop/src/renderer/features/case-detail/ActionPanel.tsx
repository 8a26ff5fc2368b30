import { useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  message,
} from 'antd';
import type { CaseDoc, CaseEventType, EventPayloads, RatingLevel } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { allowedActionsFor, applyEvents, makeEvent } from '../../domain/caseLogic';
import { EVENT_LABELS, RATING_LABELS } from '../../domain/labels';
import { useOrgUnits } from '../../hooks/useReference';
import { getBridge } from '../../../bridge/bridgeApi';

type FormValues = Record<string, unknown>;

const ACTION_LABELS: Partial<Record<CaseEventType, string>> = {
  ...EVENT_LABELS,
  forward: '转办乡镇',
  escalate: '上报县中心',
  return_for_correction: '退回补正',
  deliver_result: '送达结果',
  rate: '记录好差评',
  log: '写工作日志',
};

const s = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * Buttons for what this role may do now (domain allowedActions), each opening a small form
 * whose rules give clear Chinese messages; nothing is written until the form is valid.
 */
export function ActionPanel({ doc }: { doc: CaseDoc }) {
  const { db, cfg, user, syncNow } = useApp();
  const org = useOrgUnits();
  const [action, setAction] = useState<CaseEventType | null>(null);
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const actions = allowedActionsFor(doc, user, [...org.byId.values()]).filter(
    (a) => a !== 'receive' && a !== 'assign',
  );
  const lastMaterials = [...doc.events]
    .reverse()
    .find((e) => e.type === 'receive' || e.type === 'forward' || e.type === 'escalate');
  const materials =
    lastMaterials && 'materials' in lastMaterials.payload ? lastMaterials.payload.materials : [];

  const payloadFor = (
    type: CaseEventType,
    v: FormValues,
  ): EventPayloads[CaseEventType] | string => {
    switch (type) {
      case 'claim':
        return {} as EventPayloads['claim'];
      case 'accept':
        return {};
      case 'forward': {
        const town = doc.townId || org.parentOf(doc.originUnitId)?.id;
        if (!town) return '找不到所属乡镇，请先联网同步组织架构';
        return { toUnitId: town, materials, ...(s(v.note) ? { note: s(v.note) } : {}) };
      }
      case 'escalate':
        if (!org.county) return '找不到县级中心，请先联网同步组织架构';
        return { toUnitId: org.county.id, materials, ...(s(v.note) ? { note: s(v.note) } : {}) };
      case 'request_assistance':
        return {
          departmentIds: v.departmentIds as string[],
          question: s(v.question),
          ...(typeof v.dueDays === 'number' ? { dueDays: v.dueDays } : {}),
        };
      case 'assistance_reply':
        return {
          departmentId: user.orgUnitId,
          opinion: s(v.opinion),
          outcome: v.outcome as 'agree' | 'disagree' | 'step_done',
        };
      case 'return_for_correction': {
        const to = user.role === 'centre_agent' ? doc.townId : doc.originUnitId;
        return { toUnitId: to, reason: s(v.reason) };
      }
      case 'suspend':
        return { reason: s(v.reason), kind: s(v.kind) };
      case 'resume':
        return s(v.note) ? { note: s(v.note) } : {};
      case 'extend':
        return {
          reason: s(v.reason),
          extraDays: v.extraDays as number,
          approverName: s(v.approverName),
        };
      case 'conclude':
        return {
          outcome: v.outcome as 'approved' | 'denied',
          opinion: s(v.opinion),
          ...(s(v.resultName) ? { resultName: s(v.resultName) } : {}),
          ...(s(v.resultNo) ? { resultNo: s(v.resultNo) } : {}),
          ...(v.validUntil
            ? {
                validUntil: (v.validUntil as { format: (f: string) => string }).format(
                  'YYYY-MM-DD',
                ),
              }
            : {}),
          deliverAtUnitId: doc.originUnitId,
        };
      case 'deliver_result':
        return {
          method: v.method as 'collected' | 'posted' | 'electronic',
          recipientName: s(v.recipientName),
        };
      case 'rate':
        return {
          level: v.level as RatingLevel,
          channel: 'window',
          realName: !!v.realName,
          ...(s(v.text) ? { text: s(v.text) } : {}),
        };
      case 'inform_missing':
        return {
          items: (v.items as string[]).map((name) => ({
            materialId: name,
            name,
            problem: s(v.problem) || '未提供',
          })),
          deadlineDays: 5,
        };
      case 'supplement':
        return {
          materials: (v.items as string[]).map((name) => ({
            materialId: materials.find((m) => m.name === name)?.materialId ?? name,
            name,
            originals: 1,
            copies: 0,
            missing: false,
          })),
        };
      case 'refuse':
        return { reason: s(v.reason), guidance: s(v.guidance), approverName: s(v.approverName) };
      case 'withdraw':
      case 'terminate':
        return { reason: s(v.reason) };
      case 'log':
        return { text: s(v.text) };
      default:
        return '暂不支持此操作';
    }
  };

  const submit = async (v: FormValues) => {
    if (!action) return;
    const payload = payloadFor(action, v);
    if (typeof payload === 'string') {
      setError(payload);
      return;
    }
    const rx = await db.cases.findOne(doc.id).exec();
    if (!rx) {
      setError('该办件已不在本设备上');
      return;
    }
    await rx.incrementalModify((old) => {
      const ev = makeEvent(old, action, payload as never, user, cfg.deviceId);
      return applyEvents(old, [ev]);
    });
    getBridge()?.setDirty(false);
    setAction(null);
    form.resetFields();
    void message.success(`已${ACTION_LABELS[action]}`);
    syncNow();
  };

  const open = (a: CaseEventType) => {
    setError(null);
    form.resetFields();
    setAction(a);
  };

  if (actions.length === 0)
    return <Alert type="info" title="当前没有您可执行的操作" data-testid="no-actions" />;
  const req = (msg: string) => [{ required: true, whitespace: true, message: msg }];
  const reqSel = (msg: string) => [{ required: true, message: msg }];

  return (
    <>
      <Space wrap data-testid="action-panel">
        {actions.map((a) => (
          <Button
            key={a}
            type={a === 'claim' || a === 'deliver_result' ? 'primary' : 'default'}
            onClick={() => open(a)}
            data-testid={`action-${a}`}
          >
            {ACTION_LABELS[a]}
          </Button>
        ))}
      </Space>
      <Modal
        open={action !== null}
        title={action ? ACTION_LABELS[action] : ''}
        onCancel={() => setAction(null)}
        onOk={() => form.submit()}
        okText="确定"
        okButtonProps={{ 'data-testid': 'action-ok' } as Record<string, string>}
        destroyOnHidden
      >
        {error && (
          <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="form-error" />
        )}
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          onValuesChange={() => getBridge()?.setDirty(true)}
        >
          {(action === 'claim' || action === 'accept') && (
            <p>确认{ACTION_LABELS[action]}此办件？</p>
          )}
          {(action === 'forward' || action === 'escalate') && (
            <>
              <p>
                将随件移交以下材料：
                {materials
                  .map(
                    (m) =>
                      `${m.name}（原件${m.originals}/复印件${m.copies}${m.missing ? '，缺' : ''}）`,
                  )
                  .join('；') || '无'}
              </p>
              <Form.Item label="移交说明" name="note">
                <Input.TextArea rows={2} />
              </Form.Item>
            </>
          )}
          {action === 'request_assistance' && (
            <>
              <Form.Item
                label="协办部门（可多选）"
                name="departmentIds"
                rules={[
                  { required: true, type: 'array', min: 1, message: '请至少选择一个协办部门' },
                ]}
              >
                <Select
                  mode="multiple"
                  data-testid="dept-select"
                  optionFilterProp="label"
                  options={org.departments.map((d) => ({ value: d.id, label: d.name }))}
                />
              </Form.Item>
              <Form.Item
                label="请协办的事项"
                name="question"
                rules={req('请写明需要部门协办的内容')}
              >
                <Input.TextArea rows={2} />
              </Form.Item>
              <Form.Item label="回复时限（工作日）" name="dueDays">
                <InputNumber min={1} max={30} />
              </Form.Item>
            </>
          )}
          {action === 'assistance_reply' && (
            <>
              <Form.Item label="意见" name="outcome" rules={reqSel('请选择协办结论')}>
                <Radio.Group
                  options={[
                    { value: 'agree', label: '同意' },
                    { value: 'disagree', label: '不同意' },
                    { value: 'step_done', label: '审批步骤已完成' },
                  ]}
                />
              </Form.Item>
              <Form.Item label="意见说明" name="opinion" rules={req('请填写协办意见')}>
                <Input.TextArea rows={3} />
              </Form.Item>
            </>
          )}
          {(action === 'return_for_correction' ||
            action === 'withdraw' ||
            action === 'terminate') && (
            <Form.Item label="原因" name="reason" rules={req('请填写原因')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          )}
          {action === 'suspend' && (
            <>
              <Form.Item
                label="特别程序类型"
                name="kind"
                rules={req('请填写特别程序类型，如 现场勘验、专家评审')}
              >
                <Input />
              </Form.Item>
              <Form.Item label="中止原因" name="reason" rules={req('请填写中止原因')}>
                <Input.TextArea rows={2} />
              </Form.Item>
            </>
          )}
          {action === 'resume' && (
            <Form.Item label="说明" name="note">
              <Input />
            </Form.Item>
          )}
          {action === 'extend' && (
            <>
              <Form.Item
                label="延长工作日数"
                name="extraDays"
                rules={[
                  {
                    required: true,
                    type: 'integer',
                    min: 1,
                    max: 60,
                    message: '延长天数须为1到60之间的整数',
                  },
                ]}
              >
                <InputNumber />
              </Form.Item>
              <Form.Item label="延期原因" name="reason" rules={req('请填写延期原因')}>
                <Input.TextArea rows={2} />
              </Form.Item>
              <Form.Item label="批准人" name="approverName" rules={req('请填写批准人')}>
                <Input />
              </Form.Item>
            </>
          )}
          {action === 'conclude' && (
            <>
              <Form.Item label="办理结果" name="outcome" rules={reqSel('请选择办理结果')}>
                <Radio.Group
                  options={[
                    { value: 'approved', label: '准予' },
                    { value: 'denied', label: '不予许可' },
                  ]}
                />
              </Form.Item>
              <Form.Item label="办结意见" name="opinion" rules={req('请填写办结意见')}>
                <Input.TextArea rows={2} />
              </Form.Item>
              <Form.Item label="结果文书名称" name="resultName">
                <Input />
              </Form.Item>
              <Form.Item label="文书编号" name="resultNo">
                <Input />
              </Form.Item>
              <Form.Item label="有效期至" name="validUntil">
                <DatePicker />
              </Form.Item>
            </>
          )}
          {action === 'deliver_result' && (
            <>
              <Form.Item
                label="送达方式"
                name="method"
                rules={reqSel('请选择送达方式')}
                initialValue="collected"
              >
                <Radio.Group
                  options={[
                    { value: 'collected', label: '现场领取' },
                    { value: 'posted', label: '邮寄' },
                    { value: 'electronic', label: '电子送达' },
                  ]}
                />
              </Form.Item>
              <Form.Item label="领取人" name="recipientName" rules={req('请填写领取人姓名')}>
                <Input />
              </Form.Item>
            </>
          )}
          {action === 'rate' && (
            <>
              <Form.Item label="评价" name="level" rules={reqSel('请选择申请人的评价')}>
                <Radio.Group
                  options={([1, 2, 3, 4, 5] as RatingLevel[]).map((l) => ({
                    value: l,
                    label: RATING_LABELS[l],
                  }))}
                />
              </Form.Item>
              <Form.Item label="评价内容" name="text">
                <Input.TextArea rows={2} />
              </Form.Item>
              <Form.Item name="realName" valuePropName="checked" initialValue={true}>
                <Checkbox>实名评价</Checkbox>
              </Form.Item>
            </>
          )}
          {(action === 'inform_missing' || action === 'supplement') && (
            <>
              <Form.Item
                label={action === 'supplement' ? '本次补交的材料' : '缺少或有误的材料（一次列全）'}
                name="items"
                rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一项材料' }]}
              >
                <Select
                  mode={action === 'supplement' ? 'multiple' : 'tags'}
                  optionFilterProp="label"
                  options={(action === 'supplement'
                    ? materials.filter((m) => m.missing)
                    : materials
                  ).map((m) => ({ value: m.name, label: m.name }))}
                />
              </Form.Item>
              {action === 'inform_missing' && (
                <Form.Item label="问题说明" name="problem">
                  <Input />
                </Form.Item>
              )}
            </>
          )}
          {action === 'refuse' && (
            <>
              <Form.Item label="不予受理理由" name="reason" rules={req('请填写不予受理的理由')}>
                <Input.TextArea rows={2} />
              </Form.Item>
              <Form.Item label="告知与指引" name="guidance" rules={req('请填写给申请人的指引')}>
                <Input.TextArea rows={2} />
              </Form.Item>
              <Form.Item label="批准人" name="approverName" rules={req('请填写批准人')}>
                <Input />
              </Form.Item>
            </>
          )}
          {action === 'log' && (
            <Form.Item label="日志内容" name="text" rules={req('请填写日志内容')}>
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
