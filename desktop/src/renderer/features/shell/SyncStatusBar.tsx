import { Badge, Button, Space, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useApp } from '../../appContext';
import { useRxQuery } from '../../hooks/useRx';
import { useOnline, useSyncStatus } from '../../hooks/useOnline';
import { useSession } from '../../hooks/useExternal';
import { PENDING_UPLOAD } from '../../db/caseQueries';

/** Always visible: online/offline, events waiting to upload, last sync, refused writes. */
export function SyncStatusBar() {
  const { db, syncNow, navigate } = useApp();
  const session = useSession();
  const status = useSyncStatus();
  const online = useOnline();
  // Only the cases holding an event the hub has not stamped (see PENDING_UPLOAD).
  const { docs: cases } = useRxQuery(db.cases, PENDING_UPLOAD);
  const { docs: refusals } = useRxQuery(db.refusals, { selector: { state: 'open' } });
  // Events the hub has not stamped yet are exactly what still waits to upload.
  const pending = cases.reduce((n, c) => n + c.events.filter((e) => !e.hubTime).length, 0);
  const refused = session?.refusedMessage ?? status.refused;
  return (
    <Space size="middle" style={{ color: '#fff' }} data-testid="sync-status">
      {refused ? (
        <Tooltip title={refused}>
          <Badge
            status="error"
            text={
              <span style={{ color: '#fff' }} data-testid="sync-online">
                设备被拒绝
              </span>
            }
          />
        </Tooltip>
      ) : (
        <Badge
          status={online ? 'success' : 'default'}
          text={
            <span style={{ color: '#fff' }} data-testid="sync-online">
              {online ? '在线' : '离线'}
            </span>
          }
        />
      )}
      <span data-testid="sync-pending">待上传 {pending}</span>
      <span data-testid="sync-last">
        最近同步 {status.lastSyncAt ? dayjs(status.lastSyncAt).format('HH:mm:ss') : '—'}
      </span>
      <Button
        size="small"
        type={refusals.length ? 'primary' : 'default'}
        danger={refusals.length > 0}
        onClick={() => navigate({ page: 'refusals' })}
        data-testid="sync-refused"
      >
        被拒 {refusals.length}
      </Button>
      <Button size="small" ghost onClick={syncNow} disabled={!online}>
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
