import { useEffect, useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Modal, Select } from 'antd';
import {
  PROJECT_CATEGORIES,
  PROJECT_CATEGORY_LABELS_ZH,
  type OrgUnit,
  type ProjectCategory,
} from '@sibantong/shared';
import { useApp } from '../../appContext';
import { writeErrorText } from '../../db/caseWrites';
import { newProjectId, writeProjectEvent } from '../../db/projectWrites';

interface RegisterForm {
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

/** Roles that may register a project (the shared rule decides the site: checkRegisterSite). */
export const REGISTER_ROLES = ['village_helper', 'town_lead', 'centre_agent'] as const;

/**
 * 项目登记: a firm's project request as it states it, recorded on this device (also offline)
 * as the project's `register` event; the shared checks (USCC, site within the user's area)
 * run before it is stored. The centre then builds the team, the list and the targets.
 */
export function RegisterProjectForm({
  open,
  onClose,
  units,
}: {
  open: boolean;
  onClose: () => void;
  units: readonly OrgUnit[];
}) {
  const { db, cfg, user, syncNow, navigate } = useApp();
  const [form] = Form.useForm<RegisterForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The sites the user may register (the shared checkRegisterSite decides on the write): read
  // from the synced units by their parent links, as a village PC may not hold the whole tree.
  const sites = units.filter(
    (u) =>
      (u.level === 'village' || u.level === 'town') &&
      (user.role === 'centre_agent' ||
        u.id === user.orgUnitId ||
        (user.role === 'town_lead' && u.parentId === user.orgUnitId)),
  );
  // The user's own village (or the only site offered) is preselected, also when the synced
  // units arrive after the dialog opened.
  const defaultSite = sites.some((u) => u.id === user.orgUnitId)
    ? user.orgUnitId
    : sites.length === 1
      ? sites[0]!.id
      : undefined;
  useEffect(() => {
    if (open && defaultSite && !form.getFieldValue('siteUnitId'))
      form.setFieldValue('siteUnitId', defaultSite);
  }, [open, defaultSite, form]);
  const submit = async (v: RegisterForm) => {
    setBusy(true);
    setError(null);
    const projectId = newProjectId(cfg.deviceId);
    try {
      await writeProjectEvent(
        db,
        projectId,
        'register',
        {
          name: v.name.trim(),
          projectCode: null,
          owner: {
            name: v.ownerName.trim(),
            uscc: v.uscc.trim().toUpperCase(),
            contactName: v.contactName.trim(),
            contactPhone: v.contactPhone.trim(),
          },
          siteUnitId: v.siteUnitId,
          siteAddress: v.siteAddress?.trim() ?? '',
          category: v.category,
          investmentWan: v.investmentWan,
          targets: { startDate: null, completionDate: null },
          stage: 'land_planning',
        },
        { actor: user, deviceId: cfg.deviceId },
      );
      syncNow();
      form.resetFields();
      onClose();
      navigate({ page: 'project', projectId });
    } catch (e) {
      setError(writeErrorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title="登记重点项目（企业代办申请）"
      onCancel={onClose}
      width={640}
      destroyOnHidden
      footer={
        <Button
          type="primary"
          loading={busy}
          onClick={() => form.submit()}
          data-testid="register-submit"
        >
          登记
        </Button>
      }
    >
      {error && (
        <Alert
          type="error"
          showIcon
          message={error}
          style={{ marginBottom: 12 }}
          data-testid="register-error"
        />
      )}
      <Form<RegisterForm>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{
          category: 'industrial',
          siteUnitId: defaultSite,
        }}
      >
        <Form.Item
          name="name"
          label="项目名称"
          rules={[{ required: true, whitespace: true, message: '请填写项目名称' }]}
        >
          <Input maxLength={200} data-testid="register-name" />
        </Form.Item>
        <Form.Item
          name="ownerName"
          label="建设单位"
          rules={[{ required: true, whitespace: true, message: '请填写建设单位' }]}
        >
          <Input maxLength={200} data-testid="register-owner" />
        </Form.Item>
        <Form.Item
          name="uscc"
          label="统一社会信用代码"
          rules={[{ required: true, len: 18, message: '请填写 18 位统一社会信用代码' }]}
        >
          <Input maxLength={18} data-testid="register-uscc" />
        </Form.Item>
        <Form.Item
          name="contactName"
          label="联系人"
          rules={[{ required: true, whitespace: true, message: '请填写联系人' }]}
        >
          <Input maxLength={50} data-testid="register-contact" />
        </Form.Item>
        <Form.Item
          name="contactPhone"
          label="联系电话"
          rules={[{ required: true, whitespace: true, message: '请填写联系电话' }]}
        >
          <Input maxLength={30} data-testid="register-phone" />
        </Form.Item>
        <Form.Item
          name="siteUnitId"
          label="项目所在地"
          rules={[{ required: true, message: '请选择项目所在村（社区）或镇（街道）' }]}
        >
          <Select options={sites.map((u) => ({ value: u.id, label: u.name }))} />
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
            data-testid="register-investment"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
