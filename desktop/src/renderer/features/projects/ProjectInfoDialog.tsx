import { Button, Form, Input, InputNumber, message, Modal, Select } from 'antd';
import {
  PROJECT_CATEGORIES,
  PROJECT_CATEGORY_LABELS_ZH,
  type OrgUnit,
  type ProjectCategory,
  type ProjectEventPayloads,
  type ProjectInfo,
} from '@sibantong/shared';
import { useProjectWriter } from './projectWriter';
import { WriteRefusalAlert } from './WriteRefusalAlert';

interface InfoForm {
  name: string;
  projectCode: string;
  ownerName: string;
  uscc: string;
  contactName: string;
  contactPhone: string;
  siteUnitId: string;
  siteAddress: string;
  category: ProjectCategory;
  investmentWan: number;
}

/** The `update_info` payload: only the fields that differ from the record (owner as a whole). */
export function infoChanges(info: ProjectInfo, v: InfoForm): ProjectEventPayloads['update_info'] {
  const code = v.projectCode.trim() === '' ? null : v.projectCode.trim();
  const owner = {
    name: v.ownerName.trim(),
    uscc: v.uscc.trim().toUpperCase(),
    contactName: v.contactName.trim(),
    contactPhone: v.contactPhone.trim(),
  };
  const ownerChanged = (Object.keys(owner) as (keyof typeof owner)[]).some(
    (k) => owner[k] !== info.owner[k],
  );
  return {
    ...(v.name.trim() !== info.name ? { name: v.name.trim() } : {}),
    ...(code !== info.projectCode ? { projectCode: code } : {}),
    ...(ownerChanged ? { owner } : {}),
    ...(v.siteUnitId !== info.siteUnitId ? { siteUnitId: v.siteUnitId } : {}),
    ...(v.siteAddress.trim() !== info.siteAddress ? { siteAddress: v.siteAddress.trim() } : {}),
    ...(v.category !== info.category ? { category: v.category } : {}),
    ...(v.investmentWan !== info.investmentWan ? { investmentWan: v.investmentWan } : {}),
  };
}

/**
 * 修改项目信息 (centre): corrections to the record as `update_info` — typically the
 * 投资项目统一代码 once the platform issues it, a new contact, the investment. The shared
 * checks (code format and region, USCC, site in the county) run before it is stored.
 */
export function ProjectInfoDialog({
  projectId,
  info,
  units,
  onClose,
}: {
  projectId: string;
  info: ProjectInfo;
  units: readonly OrgUnit[];
  onClose: () => void;
}) {
  const { write, busy, error } = useProjectWriter(projectId);
  const [form] = Form.useForm<InfoForm>();
  const sites = units.filter((u) => u.level === 'village' || u.level === 'town');
  const submit = async (v: InfoForm) => {
    const changes = infoChanges(info, v);
    if (Object.keys(changes).length === 0) return onClose();
    if (await write('update_info', changes, null)) {
      void message.success('项目信息已修改');
      onClose();
    }
  };
  return (
    <Modal
      open
      title="修改项目信息"
      onCancel={onClose}
      width={640}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button
          key="save"
          type="primary"
          data-testid="info-save"
          loading={busy}
          onClick={() => form.submit()}
        >
          保存
        </Button>,
      ]}
    >
      <div data-testid="info-dialog">
        <WriteRefusalAlert refusal={error} />
        <Form<InfoForm>
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          initialValues={{
            name: info.name,
            projectCode: info.projectCode ?? '',
            ownerName: info.owner.name,
            uscc: info.owner.uscc,
            contactName: info.owner.contactName,
            contactPhone: info.owner.contactPhone,
            siteUnitId: info.siteUnitId,
            siteAddress: info.siteAddress,
            category: info.category,
            investmentWan: info.investmentWan,
          }}
        >
          <Form.Item
            name="name"
            label="项目名称"
            rules={[{ required: true, whitespace: true, message: '请填写项目名称' }]}
          >
            <Input maxLength={200} data-testid="info-name" />
          </Form.Item>
          <Form.Item
            name="projectCode"
            label="投资项目统一代码"
            extra="在线审批监管平台赋码后填写，如 2026-330999-34-03-080017；未赋码留空"
          >
            <Input maxLength={40} data-testid="info-code" />
          </Form.Item>
          <Form.Item
            name="ownerName"
            label="建设单位"
            rules={[{ required: true, whitespace: true, message: '请填写建设单位' }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="uscc"
            label="统一社会信用代码"
            rules={[{ required: true, len: 18, message: '请填写 18 位统一社会信用代码' }]}
          >
            <Input maxLength={18} />
          </Form.Item>
          <Form.Item
            name="contactName"
            label="联系人"
            rules={[{ required: true, whitespace: true, message: '请填写联系人' }]}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label="联系电话"
            rules={[{ required: true, whitespace: true, message: '请填写联系电话' }]}
          >
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item name="siteUnitId" label="项目所在地" rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={sites.map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
          <Form.Item name="siteAddress" label="详细地址">
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="category" label="项目类别" rules={[{ required: true }]}>
            <Select
              options={PROJECT_CATEGORIES.map((c) => ({
                value: c,
                label: PROJECT_CATEGORY_LABELS_ZH[c],
              }))}
            />
          </Form.Item>
          <Form.Item
            name="investmentWan"
            label="总投资（万元）"
            rules={[{ required: true, message: '请填写总投资' }]}
          >
            <InputNumber min={0} max={100000000} style={{ width: 200 }} />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}
