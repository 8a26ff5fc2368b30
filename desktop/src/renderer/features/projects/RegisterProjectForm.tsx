import { useEffect, useState } from 'react';
import { Alert, Button, Form, Modal } from 'antd';
import type { OrgUnit } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { writeErrorText } from '../../db/caseWrites';
import { newProjectId, writeProjectEvent } from '../../db/projectWrites';
import { ProjectInfoFields, type ProjectInfoValues } from './ProjectInfoFields';

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
  const [form] = Form.useForm<ProjectInfoValues>();
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
  const submit = async (v: ProjectInfoValues) => {
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
      <Form<ProjectInfoValues>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{
          category: 'industrial',
          siteUnitId: defaultSite,
        }}
      >
        <ProjectInfoFields testIdPrefix="register" sites={sites} withCode={false} />
      </Form>
    </Modal>
  );
}
