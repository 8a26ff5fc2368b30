/**
 * 日历: which years the hub's working-day calendar has, the November warning, and importing a
 * year's 放假调休 file (JSON or YAML) — previewed by the hub first (validated by the shared
 * rule), imported only when IT confirms.
 */
import { useCallback, useState } from 'react';
import { Alert, Button, Descriptions, Space, Table, Tag, Typography, Upload, message } from 'antd';
import type { ItCalendarPreview } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { itApi, itErrorText } from './itApi';
import { useItData } from './useItData';

interface Picked {
  name: string;
  text: string;
  format: 'json' | 'yaml';
}

export function CalendarTab() {
  const { cfg } = useApp();
  const load = useCallback(() => itApi.calendar(cfg), [cfg]);
  const { data, error, reload } = useItData(load);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [preview, setPreview] = useState<ItCalendarPreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const pick = async (file: File) => {
    const p: Picked = {
      name: file.name,
      text: await file.text(),
      format: /\.ya?ml$/i.test(file.name) ? 'yaml' : 'json',
    };
    setPicked(p);
    setPreview(null);
    setProblem(null);
    try {
      setPreview(await itApi.previewCalendar(cfg, p.text, p.format));
    } catch (e) {
      setProblem(itErrorText(e));
    }
  };
  const confirm = async () => {
    if (!picked) return;
    setBusy(true);
    try {
      const r = await itApi.importCalendar(cfg, picked.text, picked.format);
      void message.success(
        `${r.year} 年日历已${r.result === 'created' ? '导入' : '更新'}` +
          (r.recomputeCases > 0 ? `，枢纽将重新计算 ${r.recomputeCases} 件暂估期限` : ''),
      );
      setPicked(null);
      setPreview(null);
      await reload();
    } catch (e) {
      setProblem(itErrorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} />}
      {data && (
        <Descriptions bordered size="small" column={1} data-testid="it-calendar">
          <Descriptions.Item label="已导入的年度">
            {data.years.length ? data.years.map((y) => <Tag key={y}>{y} 年</Tag>) : '无'}
          </Descriptions.Item>
          <Descriptions.Item label={`${data.nextYear} 年`}>
            {data.nextYearCovered ? '已导入' : '尚未导入'}
          </Descriptions.Item>
          <Descriptions.Item label="按周末暂估期限的办件">
            {data.provisionalCases} 件
          </Descriptions.Item>
        </Descriptions>
      )}
      {data?.warning && <Alert type="warning" showIcon title={data.warning.messageZh} />}
      <Upload
        accept=".json,.yaml,.yml"
        showUploadList={false}
        beforeUpload={(file) => {
          void pick(file);
          return false;
        }}
      >
        <Button>选择年度日历文件（JSON / YAML）</Button>
      </Upload>
      {problem && <Alert type="error" showIcon title={problem} data-testid="calendar-problem" />}
      {preview && (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="calendar-preview">
          <Typography.Text strong>
            {picked?.name}：{preview.table.year} 年，放假 {preview.table.holidays.length}{' '}
            天，调休上班 {preview.table.workdays.length} 天
          </Typography.Text>
          {preview.replaces && (
            <Alert
              type="warning"
              showIcon
              title={`枢纽已有 ${preview.table.year} 年日历，导入将替换它`}
            />
          )}
          <Table
            size="small"
            pagination={false}
            rowKey={(r) => `${r.kind}${r.date}`}
            dataSource={[
              ...preview.table.holidays.map((d) => ({ ...d, kind: '放假' })),
              ...preview.table.workdays.map((d) => ({ ...d, kind: '调休上班' })),
            ].sort((a, b) => a.date.localeCompare(b.date))}
            columns={[
              { title: '日期', dataIndex: 'date' },
              { title: '类别', dataIndex: 'kind' },
              { title: '节日', dataIndex: 'name' },
            ]}
          />
          <Button type="primary" loading={busy} onClick={() => void confirm()}>
            确认导入 {preview.table.year} 年日历
          </Button>
        </Space>
      )}
    </Space>
  );
}
