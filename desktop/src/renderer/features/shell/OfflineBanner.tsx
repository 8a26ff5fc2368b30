import { Alert } from 'antd';
import { useOnline } from '../../hooks/useOnline';
import { usePendingCases } from './usePendingCases';

/**
 * Offline must be impossible to miss: a full-width warning under the header for as long as
 * the hub cannot be reached, saying that work goes on and what waits to upload.
 */
export function OfflineBanner() {
  const online = useOnline();
  const pending = usePendingCases();
  if (online) return null;
  return (
    <Alert
      className="no-print"
      type="warning"
      banner
      showIcon
      data-testid="offline-banner"
      title={
        <span>
          <b>当前离线</b>
          ：无法连接县级中心服务器。可以照常收件和办理，数据先保存在本机，恢复联网后自动上传
          {pending > 0 ? `（待上传 ${pending} 件）` : ''}。
        </span>
      }
    />
  );
}
