import { Form, Input, InputNumber, Select } from 'antd';
import {
  PROJECT_CATEGORIES,
  PROJECT_CATEGORY_LABELS_ZH,
  type OrgUnit,
  type ProjectCategory,
} from '@sibantong/shared';

/** The project record as its form holds it (trimmed and shaped into events by the caller). */
export interface ProjectInfoValues {
  name: string;
  ownerName: string;
  uscc: string;
  contactName: string;
  contactPhone: string;
  siteUnitId: string;
  siteAddress: string;
  category: ProjectCategory;
  investmentWan: number;
}

/**
 * The fields of a project's record, inside the caller's antd Form: one place for their
 * labels, limits and required-messages, so that 项目登记 and 修改项目信息 cannot drift
 * apart. Ids are `${testIdPrefix}-name`, `-owner`, `-uscc`, `-contact`, `-phone`,
 * `-investment` (and `-code`).
 */
export function ProjectInfoFields({
  testIdPrefix,
  sites,
  withCode,
}: {
  testIdPrefix: string;
  /** The villages/towns offered as 项目所在地 (the caller decides which the user may pick). */
  sites: readonly OrgUnit[];
  /** The 投资项目统一代码 is only corrected later: registration records none, the platform issues it. */
  withCode: boolean;
}) {
  const id = (field: string) => `${testIdPrefix}-${field}`;
  return (
    <>
      <Form.Item
        name="name"
        label="项目名称"
        rules={[{ required: true, whitespace: true, message: '请填写项目名称' }]}
      >
        <Input maxLength={200} data-testid={id('name')} />
      </Form.Item>
      {withCode && (
        <Form.Item
          name="projectCode"
          label="投资项目统一代码"
          extra="在线审批监管平台赋码后填写，如 2026-330999-34-03-080017；未赋码留空"
        >
          <Input maxLength={40} data-testid={id('code')} />
        </Form.Item>
      )}
      <Form.Item
        name="ownerName"
        label="建设单位"
        rules={[{ required: true, whitespace: true, message: '请填写建设单位' }]}
      >
        <Input maxLength={200} data-testid={id('owner')} />
      </Form.Item>
      <Form.Item
        name="uscc"
        label="统一社会信用代码"
        rules={[{ required: true, len: 18, message: '请填写 18 位统一社会信用代码' }]}
      >
        <Input maxLength={18} data-testid={id('uscc')} />
      </Form.Item>
      <Form.Item
        name="contactName"
        label="联系人"
        rules={[{ required: true, whitespace: true, message: '请填写联系人' }]}
      >
        <Input maxLength={50} data-testid={id('contact')} />
      </Form.Item>
      <Form.Item
        name="contactPhone"
        label="联系电话"
        rules={[{ required: true, whitespace: true, message: '请填写联系电话' }]}
      >
        <Input maxLength={30} data-testid={id('phone')} />
      </Form.Item>
      <Form.Item
        name="siteUnitId"
        label="项目所在地"
        rules={[{ required: true, message: '请选择项目所在村（社区）或镇（街道）' }]}
      >
        {/* Searchable: the centre is offered every village of the county. */}
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
        <InputNumber
          min={0}
          max={100000000}
          style={{ width: 200 }}
          data-testid={id('investment')}
        />
      </Form.Item>
    </>
  );
}
