import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import dayjs from 'dayjs';
import { searchMatters, type CaseDoc } from '@sibantong/shared';
import { useApp, type ProjectCaseIntent } from '../../appContext';
import { requestCaseLink } from '../../db/projectCaseLinks';
import { getBridge } from '../../../bridge/bridgeApi';
import { useCalendar, useMatters, useOrgUnits } from '../../hooks/useReference';
import { promisedDueIfAcceptedNow } from '../../hooks/useDeadlines';
import { nextProvisionalNo } from '../../db/provisionalNumbers';
import { applyEvents, insertCase, makeEvent, writeErrorText } from '../../db/caseWrites';
import {
  buildNewCase,
  validateAccept,
  type AcceptErrors,
  type AcceptInput,
  type MaterialLine,
} from './acceptCase';
import { CaseDocuments, type DocumentShortcut } from '../printing/CaseDocuments';

/** The papers of the counter right after saving; 打印文书 beside them lists every other one. */
const SHORTCUTS: readonly DocumentShortcut[] = [
  {
    id: 'acceptance-receipt',
    label: '打印受理回执',
    testId: 'print-receipt',
    primary: true,
    whenRefused: 'hide',
  },
  {
    id: 'correction-notice',
    label: '打印一次性告知单',
    testId: 'print-notice',
    whenRefused: 'hide',
  },
];

const EMPTY: Omit<AcceptInput, 'matter' | 'materials' | 'promisedDue'> = {
  applicantKind: 'person',
  name: '',
  idNumber: '',
  phone: '',
  legalRepresentative: '',
  byAgent: false,
  agentName: '',
  agentIdNumber: '',
  agentPhone: '',
  agentLetterSigned: false,
  commitmentDate: null,
  commitmentSigned: false,
};

/**
 * 收件受理 at the counter (the village's, or a town's or the centre's window when a project
 * matter is applied there). Works fully offline; the case syncs when the network returns.
 * With `projectLink` (a listed matter of a major project) the matter is chosen and, once the
 * case is saved, the project's link to it is written when the hub holds the case.
 */
export function AcceptCaseForm({ projectLink }: { projectLink?: ProjectCaseIntent } = {}) {
  const { db, cfg, user, syncNow } = useApp();
  const matters = useMatters();
  const org = useOrgUnits();
  const [matterCode, setMatterCode] = useState<string | undefined>(projectLink?.matterCode);
  const [fields, setFields] = useState(EMPTY);
  const [materials, setMaterials] = useState<MaterialLine[]>([]);
  const [errors, setErrors] = useState<AcceptErrors>({});
  const [saved, setSaved] = useState<CaseDoc | null>(null);
  const [refuseOpen, setRefuseOpen] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const calendar = useCalendar();
  const [matterQuery, setMatterQuery] = useState('');
  const matter = matterCode ? matters.byCode.get(matterCode) : undefined;
  const promised = promisedDueIfAcceptedNow(matter, calendar);
  const promisedDue = promised?.date ?? null;

  useEffect(() => {
    setMaterials(
      (matter?.materials ?? []).map((m) => ({
        materialId: m.id,
        name: m.name,
        necessity: m.necessity,
        originals: m.originals,
        copies: m.copies,
        state: 'received',
      })),
    );
  }, [matter]);

  // Tell the main process a form holds unsaved input, so an update never restarts over it.
  const dirty = !saved && (!!matterCode || !!fields.name || !!fields.idNumber);
  useEffect(() => {
    getBridge()?.setDirty(dirty);
    return () => getBridge()?.setDirty(false);
  }, [dirty]);

  const set = <K extends keyof typeof EMPTY>(k: K, v: (typeof EMPTY)[K]) =>
    setFields((f) => ({ ...f, [k]: v }));
  const input: AcceptInput = { ...fields, matter, materials, promisedDue };

  // A village forwards to its town; a town's or the centre's window keeps the case (its townId
  // is then the receiving unit itself, as the case rules expect).
  const townId =
    user.role === 'village_helper' ? (org.parentOf(user.orgUnitId)?.id ?? null) : user.orgUnitId;
  const pointCode = org.byId.get(user.orgUnitId)?.pointCode ?? 'TMP';

  const check = (mode: 'accept' | 'inform') => {
    const errs = validateAccept(input, mode);
    if (!townId) errs.org = '本设备尚未同步组织架构（找不到所属镇街），请联网同步一次后再受理';
    return errs;
  };
  // Once a save found problems, the messages follow the fields: a fixed field's message (and
  // the banner, when nothing is left) goes at once instead of staying until the next save.
  const [checkedMode, setCheckedMode] = useState<'accept' | 'inform' | null>(null);
  useEffect(() => {
    if (checkedMode) setErrors(check(checkedMode));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `check` reads exactly these inputs.
  }, [checkedMode, fields, materials, matter, promisedDue, townId]);

  const save = async (mode: 'accept' | 'inform') => {
    setSaveError(null);
    const errs = check(mode);
    setCheckedMode(mode);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    try {
      const doc = await buildNewCase(input, mode, {
        actor: user,
        deviceId: cfg.deviceId,
        townId: townId as string,
        provisionalNo: nextProvisionalNo(pointCode, cfg.deviceId),
      });
      // The hub's own checks run before the insert; a refusal stores nothing.
      await insertCase(db, doc, { actor: user, deviceId: cfg.deviceId });
      if (projectLink) {
        requestCaseLink({
          projectId: projectLink.projectId,
          matterKey: projectLink.matterKey,
          caseId: doc.id,
          actor: user,
          deviceId: cfg.deviceId,
        });
      }
      setSaved(doc);
      syncNow();
    } catch (e) {
      setSaveError(`未保存：${writeErrorText(e)}`);
    }
  };

  const reset = () => {
    setSaved(null);
    setFields(EMPTY);
    setMatterCode(undefined);
    setErrors({});
    setCheckedMode(null);
  };

  // The shared catalogue search (name, code, pinyin initials; best matches first).
  const options = useMemo(
    () =>
      searchMatters(matterQuery, matters.list).map((m) => ({
        value: m.code,
        label: `${m.name}（${m.code}）`,
      })),
    [matters.list, matterQuery],
  );

  if (saved) {
    const informed = saved.status === 'correction_required';
    return (
      <Card data-testid="accept-done">
        <Result
          status="success"
          title={
            informed
              ? '已收件并出具一次性告知单'
              : saved.status === 'not_accepted'
                ? '已作出不予受理决定'
                : saved.status === 'concluded_approved'
                  ? '即办件已当场办结'
                  : saved.holderUnitId === user.orgUnitId
                    ? '已受理'
                    : '已受理并转办镇街'
          }
          subTitle={
            <span>
              临时编号 <b data-testid="saved-no">{saved.provisionalNo}</b>
            </span>
          }
          extra={
            <Space>
              <CaseDocuments
                doc={saved}
                shortcuts={SHORTCUTS}
                ctx={{
                  matterName: matter?.name ?? saved.matterCode,
                  unitName: org.name(user.orgUnitId),
                  staffName: user.name,
                  // A date reaching a year without a holiday table is an estimate, and says so on paper.
                  promisedDue: promised
                    ? `${promised.date}${promised.provisional ? '（暂估）' : ''}`
                    : null,
                  unitNameOf: org.name,
                }}
              />
              <Button onClick={reset} data-testid="accept-next">
                继续收件
              </Button>
            </Space>
          }
        />
      </Card>
    );
  }

  const err = (k: string) =>
    errors[k]
      ? {
          validateStatus: 'error' as const,
          help: <span data-testid={`err-${k}`}>{errors[k]}</span>,
        }
      : {};
  const hasDeferred = materials.some((m) => m.state === 'deferred');

  return (
    <Card title="收件受理" data-testid="accept-form">
      {projectLink && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="accept-project-link"
          title={`重点项目“${projectLink.projectName}”的审批事项：保存后办件同步到中心即自动关联到项目`}
        />
      )}
      {Object.keys(errors).length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="form-error"
          title="请先改正以下问题，未保存任何数据"
          description={
            <ul style={{ margin: 0 }}>
              {Object.values(errors).map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          }
        />
      )}
      {saveError && (
        <Alert
          type="error"
          showIcon
          title={saveError}
          style={{ marginBottom: 12 }}
          data-testid="save-error"
        />
      )}
      <Form layout="vertical">
        <Form.Item
          label="申请事项（可按名称、编码或拼音首字母搜索）"
          htmlFor="accept-matter"
          required
          {...err('matter')}
        >
          <Select
            id="accept-matter"
            showSearch
            autoFocus
            data-testid="matter-select"
            placeholder="例如：养老保险 或 ylbx"
            value={matterCode}
            onChange={setMatterCode}
            onSearch={setMatterQuery}
            filterOption={false}
            options={options}
            notFoundContent={
              matters.loading ? '正在加载事项目录…' : '没有匹配的事项（事项目录需联网同步）'
            }
          />
        </Form.Item>
        {matter && (
          <Space style={{ marginBottom: 12 }}>
            <Tag color={matter.immediate ? 'green' : 'blue'}>
              {matter.immediate ? '即办件：当场办结' : '承诺件：受理后转镇街'}
            </Tag>
            <Tag>法定时限 {matter.legalDays} 个工作日</Tag>
            <Tag>
              承诺时限 {matter.promisedDays} 个工作日
              {promised ? `（预计 ${promised.date}${promised.provisional ? '，暂估' : ''}）` : ''}
            </Tag>
          </Space>
        )}
        <Form.Item label="申请人类型">
          <Radio.Group
            value={fields.applicantKind}
            onChange={(e) => set('applicantKind', e.target.value as 'person' | 'enterprise')}
          >
            <Radio value="person">自然人</Radio>
            <Radio value="enterprise">企业/组织</Radio>
          </Radio.Group>
        </Form.Item>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item
              label={fields.applicantKind === 'person' ? '姓名' : '企业名称'}
              htmlFor="accept-name"
              required
              {...err('name')}
            >
              <Input
                id="accept-name"
                data-testid="applicant-name"
                value={fields.name}
                onChange={(e) => set('name', e.target.value)}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              label={fields.applicantKind === 'person' ? '身份证号码' : '统一社会信用代码'}
              htmlFor="accept-id"
              required
              {...err('idNumber')}
            >
              <Input
                id="accept-id"
                data-testid="applicant-id"
                value={fields.idNumber}
                onChange={(e) => set('idNumber', e.target.value)}
                maxLength={18}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="联系电话" htmlFor="accept-phone" required {...err('phone')}>
              <Input
                id="accept-phone"
                data-testid="applicant-phone"
                value={fields.phone}
                onChange={(e) => set('phone', e.target.value)}
              />
            </Form.Item>
          </Col>
        </Row>
        {fields.applicantKind === 'enterprise' && (
          <Form.Item
            label="法定代表人"
            htmlFor="accept-legal-rep"
            required
            {...err('legalRepresentative')}
          >
            <Input
              id="accept-legal-rep"
              value={fields.legalRepresentative}
              onChange={(e) => set('legalRepresentative', e.target.value)}
            />
          </Form.Item>
        )}
        <Form.Item>
          <Checkbox
            checked={fields.byAgent}
            onChange={(e) => set('byAgent', e.target.checked)}
            data-testid="by-agent"
          >
            帮办代办（代申请人办理）
          </Checkbox>
        </Form.Item>
        {fields.byAgent && (
          <Row gutter={12}>
            <Col span={6}>
              <Form.Item
                label="代办人姓名"
                htmlFor="accept-agent-name"
                required
                {...err('agentName')}
              >
                <Input
                  id="accept-agent-name"
                  value={fields.agentName}
                  onChange={(e) => set('agentName', e.target.value)}
                />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item
                label="代办人身份证号码"
                htmlFor="accept-agent-id"
                required
                {...err('agentIdNumber')}
              >
                <Input
                  id="accept-agent-id"
                  value={fields.agentIdNumber}
                  onChange={(e) => set('agentIdNumber', e.target.value)}
                />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item
                label="代办人电话"
                htmlFor="accept-agent-phone"
                required
                {...err('agentPhone')}
              >
                <Input
                  id="accept-agent-phone"
                  value={fields.agentPhone}
                  onChange={(e) => set('agentPhone', e.target.value)}
                />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item label=" " {...err('agentLetterSigned')}>
                <Checkbox
                  checked={fields.agentLetterSigned}
                  onChange={(e) => set('agentLetterSigned', e.target.checked)}
                >
                  已签署代办委托书
                </Checkbox>
              </Form.Item>
            </Col>
          </Row>
        )}
        <Form.Item label="材料清单（收件时逐项核对份数）" {...err('materials')}>
          <Table<MaterialLine>
            size="small"
            rowKey="materialId"
            pagination={false}
            dataSource={materials}
            locale={{ emptyText: '请先选择申请事项' }}
            columns={[
              {
                title: '材料',
                dataIndex: 'name',
                render: (n: string, m) => (
                  <span>
                    {n} {m.necessity === 'deferrable' && <Tag color="gold">可容缺</Tag>}
                    {m.necessity === 'optional' && <Tag>选交</Tag>}
                    {errors[`mat-${m.materialId}`] && (
                      <div style={{ color: '#cf1322' }}>{errors[`mat-${m.materialId}`]}</div>
                    )}
                  </span>
                ),
              },
              {
                title: '原件',
                key: 'o',
                render: (_, m) => (
                  <InputNumber
                    size="small"
                    min={0}
                    value={m.originals}
                    onChange={(v) =>
                      setMaterials((ms) =>
                        ms.map((x) =>
                          x.materialId === m.materialId ? { ...x, originals: v ?? 0 } : x,
                        ),
                      )
                    }
                  />
                ),
              },
              {
                title: '复印件',
                key: 'c',
                render: (_, m) => (
                  <InputNumber
                    size="small"
                    min={0}
                    value={m.copies}
                    onChange={(v) =>
                      setMaterials((ms) =>
                        ms.map((x) =>
                          x.materialId === m.materialId ? { ...x, copies: v ?? 0 } : x,
                        ),
                      )
                    }
                  />
                ),
              },
              {
                title: '收取情况',
                key: 's',
                render: (_, m) => (
                  <Radio.Group
                    size="small"
                    value={m.state}
                    data-testid={`mat-state-${m.materialId}`}
                    onChange={(e) =>
                      setMaterials((ms) =>
                        ms.map((x) =>
                          x.materialId === m.materialId
                            ? { ...x, state: e.target.value as MaterialLine['state'] }
                            : x,
                        ),
                      )
                    }
                  >
                    <Radio.Button value="received">已收</Radio.Button>
                    <Radio.Button value="missing">缺</Radio.Button>
                    {m.necessity === 'deferrable' && (
                      <Radio.Button value="deferred">容缺后补</Radio.Button>
                    )}
                  </Radio.Group>
                ),
              },
            ]}
          />
        </Form.Item>
        {hasDeferred && (
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item
                label="容缺材料承诺补齐日期"
                htmlFor="accept-commitment-date"
                required
                {...err('commitmentDate')}
              >
                <div data-testid="commitment-date">
                  <DatePicker
                    id="accept-commitment-date"
                    value={fields.commitmentDate ? dayjs(fields.commitmentDate) : null}
                    onChange={(d) => set('commitmentDate', d ? d.format('YYYY-MM-DD') : null)}
                  />
                </div>
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item label=" " {...err('commitmentSigned')}>
                <Checkbox
                  checked={fields.commitmentSigned}
                  onChange={(e) => set('commitmentSigned', e.target.checked)}
                  data-testid="commitment-signed"
                >
                  申请人已签署容缺承诺书
                </Checkbox>
              </Form.Item>
            </Col>
          </Row>
        )}
        {errors.org && <Alert type="warning" title={errors.org} style={{ marginBottom: 12 }} />}
        <Space>
          <Button type="primary" onClick={() => void save('accept')} data-testid="submit-accept">
            {matter?.immediate ? '受理并当场办结' : '受理并转办镇街'}
          </Button>
          <Button onClick={() => void save('inform')} data-testid="submit-inform">
            收件并出具一次性告知单
          </Button>
          <Button danger onClick={() => setRefuseOpen(true)} data-testid="open-refuse">
            不予受理
          </Button>
        </Space>
      </Form>
      <RefuseAtCounter
        open={refuseOpen}
        onClose={() => setRefuseOpen(false)}
        input={input}
        townId={townId}
        pointCode={pointCode}
        onSaved={setSaved}
      />
    </Card>
  );
}

/** 不予受理 at the counter: the window has no veto — reason, guidance and approver are required. */
function RefuseAtCounter(props: {
  open: boolean;
  onClose: () => void;
  input: AcceptInput;
  townId: string | null;
  pointCode: string;
  onSaved: (d: CaseDoc) => void;
}) {
  const { db, cfg, user, syncNow } = useApp();
  const [form] = Form.useForm<{ reason: string; guidance: string; approverName: string }>();
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { reason: string; guidance: string; approverName: string }) => {
    setError(null);
    const errs = validateAccept(props.input, 'inform');
    delete errs.materials;
    if (Object.keys(errs).length) {
      setError(`请先在收件表单中改正：${Object.values(errs).join('；')}`);
      return;
    }
    const doc = await buildNewCase(
      {
        ...props.input,
        materials: props.input.materials.map((m) => ({
          ...m,
          state: m.state === 'deferred' ? 'missing' : m.state,
        })),
      },
      'inform',
      {
        actor: user,
        deviceId: cfg.deviceId,
        townId: props.townId ?? user.orgUnitId,
        provisionalNo: nextProvisionalNo(props.pointCode, cfg.deviceId),
      },
    );
    const withoutInform = { ...doc, events: doc.events.filter((e) => e.type === 'receive') };
    const refused = applyEvents(withoutInform, [
      makeEvent(
        withoutInform,
        'refuse',
        {
          reason: v.reason.trim(),
          guidance: v.guidance.trim(),
          approverName: v.approverName.trim(),
        },
        user,
        cfg.deviceId,
      ),
    ]);
    try {
      await insertCase(db, refused, { actor: user, deviceId: cfg.deviceId });
    } catch (e) {
      setError(`未保存：${writeErrorText(e)}`);
      return;
    }
    syncNow();
    props.onClose();
    props.onSaved(refused);
  };
  return (
    <Modal
      open={props.open}
      title="不予受理"
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText="确认不予受理"
      destroyOnHidden
    >
      {error && (
        <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="form-error" />
      )}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          label="不予受理理由"
          name="reason"
          rules={[{ required: true, whitespace: true, message: '请填写不予受理的理由' }]}
        >
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item
          label="告知与指引（应到何处办理、需带何材料）"
          name="guidance"
          rules={[{ required: true, whitespace: true, message: '请填写给申请人的指引' }]}
        >
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item
          label="批准人"
          name="approverName"
          rules={[{ required: true, whitespace: true, message: '请填写批准不予受理的负责人' }]}
        >
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
