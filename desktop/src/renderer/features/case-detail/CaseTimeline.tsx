import { Table, Tag, Timeline, Typography } from 'antd';
import type { CaseEvent } from '@sibantong/shared';
import {
  CASE_EVENT_LABELS_ZH as EVENT_LABELS,
  ROLE_LEVEL_LABELS_ZH as LEVEL_LABELS,
  sortEvents,
} from '@sibantong/shared';
import { useOrgUnits } from '../../hooks/useReference';
import { eventMaterials, eventSummary } from './eventSummary';
import { chinaDateTime } from '@sibantong/shared';

/** Every event with level, actor, device time and hub time; materials and counts at each handoff. */
export function CaseTimeline({ events }: { events: CaseEvent[] }) {
  const org = useOrgUnits();
  return (
    <Timeline
      data-testid="case-timeline"
      items={sortEvents(events).map((e) => {
        const mats = eventMaterials(e);
        return {
          key: e.id,
          color: e.hubTime ? 'blue' : 'gray',
          content: (
            <div data-testid="timeline-item" data-event-type={e.type}>
              <Typography.Text strong>{EVENT_LABELS[e.type]}</Typography.Text>{' '}
              <Tag>{LEVEL_LABELS[e.actor.role] ?? e.actor.role}</Tag>
              <span>
                {e.actor.name} · {org.name(e.actor.orgUnitId)}
              </span>
              <div>{eventSummary(e, (id) => org.name(id))}</div>
              <div style={{ color: '#888', fontSize: 12 }}>
                设备时间 {chinaDateTime(e.deviceTime, true)} · 中心时间{' '}
                {e.hubTime ? chinaDateTime(e.hubTime, true) : <Tag color="orange">待上传</Tag>}
              </div>
              {mats && mats.length > 0 && (
                <Table
                  size="small"
                  style={{ maxWidth: 560, marginTop: 4 }}
                  pagination={false}
                  rowKey="materialId"
                  dataSource={mats}
                  columns={[
                    { title: '材料', dataIndex: 'name' },
                    { title: '原件', dataIndex: 'originals' },
                    { title: '复印件', dataIndex: 'copies' },
                    {
                      title: '状态',
                      key: 's',
                      render: (_, m) => (m.deferred ? '容缺后补' : m.missing ? '缺' : '已收'),
                    },
                  ]}
                />
              )}
            </div>
          ),
        };
      })}
    />
  );
}
