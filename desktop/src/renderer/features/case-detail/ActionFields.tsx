import { DatePicker, Form, Input, InputNumber, Radio, Select } from 'antd';
import type { CaseEventType, MaterialReceipt } from '@sibantong/shared';
import { useOrgUnits } from '../../hooks/useReference';
import { ACTION_LABELS } from './actionLabels';

const reqSel = (msg: string) => [{ required: true, message: msg }];

/** A text field; `required` is the Chinese message shown when it is left blank. */
function TextItem(props: { label: string; name: string; required?: string; rows?: number }) {
  return (
    <Form.Item
      label={props.label}
      name={props.name}
      rules={
        props.required ? [{ required: true, whitespace: true, message: props.required }] : undefined
      }
    >
      {props.rows ? <Input.TextArea rows={props.rows} /> : <Input />}
    </Form.Item>
  );
}

/**
 * The fields of one action's form. Every required field says in Chinese what is missing, so the
 * form never submits half an event.
 */
export function ActionFields({
  action,
  materials,
}: {
  action: CaseEventType;
  materials: readonly MaterialReceipt[];
}) {
  const org = useOrgUnits();
  return (
    <>
      {(action === 'claim' || action === 'accept') && <p>确认{ACTION_LABELS[action]}此办件？</p>}
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
          <TextItem label="移交说明" name="note" rows={2} />
        </>
      )}
      {action === 'request_assistance' && (
        <>
          <Form.Item
            label="协办部门（可多选）"
            name="departmentIds"
            rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个协办部门' }]}
          >
            <Select
              mode="multiple"
              data-testid="dept-select"
              optionFilterProp="label"
              options={org.departments.map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
          <TextItem
            label="请协办的事项"
            name="question"
            required="请写明需要部门协办的内容"
            rows={2}
          />
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
          <TextItem label="意见说明" name="opinion" required="请填写协办意见" rows={3} />
        </>
      )}
      {(action === 'return_for_correction' || action === 'withdraw' || action === 'terminate') && (
        <TextItem label="原因" name="reason" required="请填写原因" rows={2} />
      )}
      {action === 'suspend' && (
        <>
          <TextItem
            label="特别程序类型"
            name="kind"
            required="请填写特别程序类型，如 现场勘验、专家评审"
          />
          <TextItem label="中止原因" name="reason" required="请填写中止原因" rows={2} />
        </>
      )}
      {action === 'resume' && <TextItem label="说明" name="note" />}
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
          <TextItem label="延期原因" name="reason" required="请填写延期原因" rows={2} />
          <TextItem label="批准人" name="approverName" required="请填写批准人" />
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
          <TextItem label="办结意见" name="opinion" required="请填写办结意见" rows={2} />
          <TextItem label="结果文书名称" name="resultName" />
          <TextItem label="文书编号" name="resultNo" />
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
          <TextItem label="领取人" name="recipientName" required="请填写领取人姓名" />
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
          {action === 'inform_missing' && <TextItem label="问题说明" name="problem" />}
        </>
      )}
      {action === 'refuse' && (
        <>
          <TextItem label="不予受理理由" name="reason" required="请填写不予受理的理由" rows={2} />
          <TextItem label="告知与指引" name="guidance" required="请填写给申请人的指引" rows={2} />
          <TextItem label="批准人" name="approverName" required="请填写批准人" />
        </>
      )}
      {action === 'log' && (
        <TextItem label="日志内容" name="text" required="请填写日志内容" rows={3} />
      )}
    </>
  );
}
