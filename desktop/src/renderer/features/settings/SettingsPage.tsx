import { useEffect, useState } from 'react';
import { Button, Card, Descriptions, Tag } from 'antd';
import { ROLE_LABELS_ZH } from '@sibantong/shared';
import type { UpdateState } from '../../../bridge/bridgeApi';
import { getBridge } from '../../../bridge/bridgeApi';
import { useApp } from '../../appContext';
import { useOrgUnits } from '../../hooks/useReference';
import { HubAddressForm } from './HubAddressForm';
import { ChangePasswordForm } from '../auth/ChangePasswordForm';
import { chinaDateTime } from '@sibantong/shared';

function updateText(s: UpdateState | null): string {
  if (!s) return '浏览器模式，不支持自动更新';
  switch (s.kind) {
    case 'idle':
      return '空闲';
    case 'checking':
      return '正在检查更新…';
    case 'none':
      return `已是最新版本（${chinaDateTime(s.checkedAt)} 检查）`;
    case 'available':
      return `发现新版本 ${s.version}`;
    case 'downloading':
      return `正在下载 ${s.version}：${Math.round(s.percent)}%`;
    case 'downloaded':
      return `新版本 ${s.version} 已下载，${s.installOnQuit ? '退出时安装' : '可立即安装'}`;
    case 'error':
      return `更新出错：${s.message}`;
  }
}

export function SettingsPage() {
  const { cfg, user } = useApp();
  const org = useOrgUnits();
  const bridge = getBridge();
  const [version, setVersion] = useState<string>(
    bridge ? '…' : `${import.meta.env.MODE === 'production' ? '' : '开发 '}浏览器版`,
  );
  const [upd, setUpd] = useState<UpdateState | null>(bridge ? { kind: 'idle' } : null);
  useEffect(() => {
    if (!bridge) return;
    void bridge.appVersion().then(setVersion);
    return bridge.onUpdateState(setUpd);
  }, [bridge]);
  return (
    <Card title="设置" data-testid="settings-page">
      <Descriptions bordered size="small" column={1}>
        <Descriptions.Item label="版本">{version}</Descriptions.Item>
        <Descriptions.Item label="更新状态">
          <Tag>{updateText(upd)}</Tag>
          {bridge && (
            <Button size="small" onClick={() => void bridge.checkForUpdates(cfg.hubUrl)}>
              检查更新
            </Button>
          )}
          {bridge && upd?.kind === 'downloaded' && (
            <Button size="small" type="primary" onClick={() => void bridge.installUpdateNow()}>
              立即安装
            </Button>
          )}
        </Descriptions.Item>
        <Descriptions.Item label="中心服务器">
          <span data-testid="hub-current">
            {cfg.hubName}（{cfg.hubUrl}）
          </span>
        </Descriptions.Item>
        <Descriptions.Item label="设备编号">{cfg.deviceId}</Descriptions.Item>
        <Descriptions.Item label="服务点">{org.name(cfg.orgUnitId)}</Descriptions.Item>
        <Descriptions.Item label="当前用户">
          {user.name}（{ROLE_LABELS_ZH[user.role]}，{org.name(user.orgUnitId)}）
        </Descriptions.Item>
        <Descriptions.Item label="本地数据加密">
          申请人身份信息在本机加密存储（
          {bridge ? '密钥由操作系统密钥库保护' : '浏览器模式：密钥为不可导出的 WebCrypto 密钥'}）
        </Descriptions.Item>
      </Descriptions>
      <Card type="inner" size="small" title="修改登录密码" style={{ marginTop: 16 }}>
        <ChangePasswordForm cfg={cfg} />
      </Card>
      <Card type="inner" size="small" title="修改中心服务器地址" style={{ marginTop: 16 }}>
        <HubAddressForm />
      </Card>
    </Card>
  );
}
