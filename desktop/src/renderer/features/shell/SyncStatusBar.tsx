import { Button, Space, Tag, Tooltip } from 'antd';
import { CheckCircleFilled, DisconnectOutlined, StopOutlined } from '@ant-design/icons';
import { useApp } from '../../appContext';
import { useOnline, useSyncStatus } from '../../hooks/useOnline';
import { useSession } from '../../hooks/useExternal';
import { chinaClock } from '@sibantong/shared';
import { usePendingCases } from './usePendingCases';
import { useOpenRefusals } from './useOpenRefusals';

/**
 * Always visible on the dark-red header: online/offline as a solid tag (never colour alone, and
 * never a dark dot on dark red), cases waiting to upload, last sync, refused writes (of cases
 * and projects).
 */
export function SyncStatusBar() {
  const { syncNow, navigate } = useApp();
  const session = useSession();
  const status = useSyncStatus();
  const online = useOnline();
  const pending = usePendingCases();
  const refusals = useOpenRefusals();
  const refused = session?.refusedMessage ?? status.refused;
  return (
    <Space size="middle" style={{ color: '#fff' }} data-testid="sync-status">
      {refused ? (
        <Tooltip title={refused}>
          <Tag icon={<StopOutlined />} style={TAG_REFUSED} data-testid="sync-online">
            设备被拒绝
          </Tag>
        </Tooltip>
      ) : (
        <Tag
          icon={online ? <CheckCircleFilled /> : <DisconnectOutlined />}
          style={online ? TAG_ONLINE : TAG_OFFLINE}
          data-testid="sync-online"
        >
          {online ? '在线' : '离线'}
        </Tag>
      )}
      <span data-testid="sync-pending">待上传 {pending} 件</span>
      <span data-testid="sync-last">
        最近同步 {status.lastSyncAt ? chinaClock(status.lastSyncAt) : '—'}
      </span>
      <Button
        size="small"
        type={refusals ? 'primary' : 'default'}
        danger={refusals > 0}
        onClick={() => navigate({ page: 'refusals' })}
        data-testid="sync-refused"
      >
        被拒 {refusals}
      </Button>
      <Button
        size="small"
        ghost
        onClick={syncNow}
        disabled={!online}
        // antd's disabled ghost button is dark grey: unreadable on the dark-red header.
        style={online ? undefined : { color: '#ffd8bf', borderColor: '#ffd8bf' }}
      >
        立即同步
      </Button>
      {session && Math.abs(session.clockSkewMs) > 5 * 60_000 && (
        // Device clocks lie: deadlines run on hub time, but staff should fix a clock this far off.
        <Tooltip title="本机时钟与中心服务器相差较大，期限以中心时间为准，请联系信息管理员校准时钟">
          <span style={{ color: '#ffd666' }} data-testid="clock-skew">
            时钟偏差 {Math.round(session.clockSkewMs / 60_000)} 分钟
          </span>
        </Tooltip>
      )}
      {refused && (
        <span data-testid="device-refused" style={{ color: '#ffd666' }}>
          {refused}
        </span>
      )}
    </Space>
  );
}

// Solid light tags with dark text: readable on the #8e1b12 header (contrast above 7:1).
const TAG_ONLINE = { background: '#f6ffed', color: '#135200', borderColor: '#b7eb8f', margin: 0 };
const TAG_OFFLINE = {
  background: '#fffb8f',
  color: '#000',
  borderColor: '#fadb14',
  fontWeight: 600,
  margin: 0,
};
const TAG_REFUSED = { background: '#fff', color: '#a8071a', borderColor: '#ffa39e', margin: 0 };
