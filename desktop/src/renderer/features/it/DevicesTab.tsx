/**
 * 设备: every PC of the county with its last login and its own latest report (app version,
 * pending uploads); enrol a new one for a chosen unit (code + slip); revoke.
 */
import { useCallback, useState } from 'react';
import {
  Alert,
  Button,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  message,
} from 'antd';
import type { OrgUnit } from '@sibantong/shared';
import type { ItDeviceRow, ItEnrolResponse } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { itApi, itErrorText } from './itApi';
import { EnrolmentSlip } from './EnrolmentSlip';
import { unitLabel, unitOptions } from './unitNames';
import { useItData } from './useItData';

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN') : '从未');
const NOT_REPORTED = '未报告';

/** The PC's own count of what the hub has not accepted yet, and when it said so. */
function PendingCell({ report }: { report: ItDeviceRow['report'] }) {
  if (!report) return <>{NOT_REPORTED}</>;
  const files = report.pendingAttachments ? `，附件 ${report.pendingAttachments} 份` : '';
  return (
    <Space orientation="vertical" size={0}>
      <span>
        {report.pendingUploads > 0 ? <Tag color="orange">{report.pendingUploads} 件</Tag> : '0 件'}
        {files}
      </span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        报告于 {time(report.reportedAt)}
      </Typography.Text>
    </Space>
  );
}

export function DevicesTab({ units }: { units: OrgUnit[] | null }) {
  const { cfg } = useApp();
  const load = useCallback(() => itApi.devices(cfg), [cfg]);
  const { data, error, loading, reload } = useItData(load);
  const [picking, setPicking] = useState(false);
  const [unit, setUnit] = useState<string | null>(null);
  const [slip, setSlip] = useState<ItEnrolResponse | null>(null);
  const [busy, setBusy] = useState(false);

  const enrol = async () => {
    if (!unit) return;
    setBusy(true);
    try {
      setSlip(await itApi.enrol(cfg, unit));
      setPicking(false);
    } catch (e) {
      void message.error(itErrorText(e));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (d: ItDeviceRow) => {
    try {
      await itApi.revoke(cfg, d.deviceId);
      void message.success(`已停用「${d.name}」，该电脑下一次联网即被拒绝`);
      await reload();
    } catch (e) {
      void message.error(itErrorText(e));
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Button type="primary" data-testid="it-enrol-open" onClick={() => setPicking(true)}>
          登记新电脑
        </Button>
        <Button onClick={() => void reload()}>刷新</Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<ItDeviceRow>
        data-testid="it-devices"
        rowKey="deviceId"
        size="small"
        loading={loading}
        dataSource={data ?? []}
        pagination={{ pageSize: 50 }}
        onRow={(d) => ({ 'data-testid': `device-${d.deviceId}` }) as object}
        columns={[
          { title: '电脑名称', dataIndex: 'name' },
          { title: '单位', render: (_, d) => unitLabel(units, d.orgUnitId) },
          { title: '设备ID', dataIndex: 'deviceId' },
          { title: '登记时间', render: (_, d) => time(d.enrolledAt) },
          { title: '最近登录', render: (_, d) => time(d.lastSeenAt) },
          { title: '版本', render: (_, d) => d.report?.appVersion ?? NOT_REPORTED },
          { title: '待上传', render: (_, d) => <PendingCell report={d.report} /> },
          {
            title: '状态',
            render: (_, d) =>
              d.revokedAt ? <Tag color="red">已停用</Tag> : <Tag color="green">在用</Tag>,
          },
          {
            title: '操作',
            render: (_, d) =>
              d.revokedAt ? null : (
                <Popconfirm
                  title={`停用「${d.name}」？`}
                  description="该电脑将无法再登录和同步，需重新登记才能使用。"
                  okText="停用"
                  cancelText="取消"
                  onConfirm={() => revoke(d)}
                >
                  <Button danger size="small" data-testid={`revoke-${d.deviceId}`}>
                    停用
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={picking}
        title="登记新电脑"
        okText="生成登记码"
        cancelText="取消"
        okButtonProps={{ disabled: !unit, loading: busy, id: 'it-enrol-submit' }}
        onOk={() => void enrol()}
        onCancel={() => setPicking(false)}
      >
        <p>选择这台电脑所属的单位。本机只接受该单位人员登录。</p>
        <Select
          data-testid="it-enrol-unit"
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: '100%' }}
          placeholder="输入单位名称或 ID 搜索"
          value={unit}
          onChange={setUnit}
          options={units ? unitOptions(units) : []}
        />
      </Modal>
      {slip && (
        <EnrolmentSlip
          slip={slip}
          unitName={unitLabel(units, slip.orgUnitId)}
          hubUrl={cfg.hubUrl}
          onClose={() => {
            setSlip(null);
            void reload();
          }}
        />
      )}
    </Space>
  );
}
