import { Form } from 'antd';
import type { OrgUnit, ProjectEventPayloads, ProjectInfo } from '@sibantong/shared';
import { useProjectWriter } from './projectWriter';
import { ProjectEventDialog } from './ProjectEventDialog';
import { ProjectInfoFields, type ProjectInfoValues } from './ProjectInfoFields';

interface InfoForm extends ProjectInfoValues {
  projectCode: string;
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
    if (await write('update_info', changes, '项目信息已修改')) onClose();
  };
  return (
    <ProjectEventDialog
      title="修改项目信息"
      testId="info-dialog"
      saveTestId="info-save"
      busy={busy}
      refusal={error}
      width={640}
      onSave={() => form.submit()}
      onClose={onClose}
    >
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
        <ProjectInfoFields testIdPrefix="info" sites={sites} withCode />
      </Form>
    </ProjectEventDialog>
  );
}
