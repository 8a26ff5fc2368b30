/**
 * 更新源: per channel the current build and its rollout share, what a rollback returns to, the
 * latest actions; widen a rollout, roll back. Publishing a new build stays on the hub's CLI
 * (it reads the build folder on the server).
 */
import { useCallback, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  InputNumber,
  Popconfirm,
  Space,
  Typography,
  message,
} from 'antd';
import type { ItReleaseChannel } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { itApi, itErrorText } from './itApi';
import { useItData } from './useItData';

const CHANNEL_ZH: Record<string, string> = {
  stable: '正式通道（stable）',
  pilot: '试点通道（pilot）',
};
const ACTION_ZH: Record<string, string> = {
  publish: '发布',
  rollout: '调整灰度',
  rollback: '回退',
};

function ChannelCard({ c, onChanged }: { c: ItReleaseChannel; onChanged: () => void }) {
  const { cfg } = useApp();
  const [percent, setPercent] = useState<number | null>(c.current?.rollout ?? null);
  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      void message.success(done);
      onChanged();
    } catch (e) {
      void message.error(itErrorText(e));
    }
  };
  return (
    <Card size="small" title={CHANNEL_ZH[c.channel]} data-testid={`release-${c.channel}`}>
      {!c.current ? (
        <Typography.Text type="secondary">尚未发布任何版本</Typography.Text>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="当前版本">
              {c.current.version}（{c.current.rollout}% 的电脑）
            </Descriptions.Item>
            <Descriptions.Item label="上一个版本">
              {c.previous ? c.previous.version : '无（不能回退）'}
            </Descriptions.Item>
          </Descriptions>
          <Space>
            <InputNumber min={0} max={100} value={percent} onChange={setPercent} suffix="%" />
            <Button
              disabled={percent === null || percent === c.current.rollout}
              onClick={() =>
                void act(
                  () => itApi.rollout(cfg, c.channel, percent ?? 0),
                  `已把 ${c.current!.version} 的灰度调整为 ${percent}%`,
                )
              }
            >
              调整灰度
            </Button>
            <Popconfirm
              title={`回退到 ${c.previous?.version ?? '上一个版本'}？`}
              description="全部电脑会在下次检查更新时装回上一个版本；被回退的版本不会再提供。"
              okText="回退"
              cancelText="取消"
              disabled={!c.previous}
              onConfirm={() =>
                act(() => itApi.rollback(cfg, c.channel), `已回退到 ${c.previous?.version}`)
              }
            >
              <Button danger disabled={!c.previous}>
                回退
              </Button>
            </Popconfirm>
          </Space>
          {c.log.length > 0 && (
            <Typography.Text type="secondary">
              最近：
              {c.log
                .slice(0, 3)
                .map(
                  (l) =>
                    `${new Date(l.at).toLocaleString('zh-CN')} ${ACTION_ZH[l.action] ?? l.action} ${l.version}${l.rollout !== undefined ? `（${l.rollout}%）` : ''}`,
                )
                .join('；')}
            </Typography.Text>
          )}
        </Space>
      )}
    </Card>
  );
}

export function ReleasesTab() {
  const { cfg } = useApp();
  const load = useCallback(() => itApi.releases(cfg), [cfg]);
  const { data, error, reload } = useItData(load);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} />}
      {data?.map((c) => (
        <ChannelCard
          key={`${c.channel}-${c.current?.version}-${c.current?.rollout}`}
          c={c}
          onChanged={() => void reload()}
        />
      ))}
      <Typography.Paragraph type="secondary">
        发布新版本需在中心服务器上执行（读取打包好的文件夹）：
        <code>npx sibantong-hub release publish &lt;文件夹&gt; --channel pilot --rollout 20</code>
        ，见《IT 运维指南》第 7 节。
      </Typography.Paragraph>
    </Space>
  );
}
