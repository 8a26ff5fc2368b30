/** 枢纽状态: which store serves the county, the hub's version, workflow dead letters. */
import { useCallback } from 'react';
import { Alert, Button, Descriptions, Space, Table, Typography } from 'antd';
import { useApp } from '../../appContext';
import { itApi } from './itApi';
import { useItData } from './useItData';

export function HealthTab() {
  const { cfg } = useApp();
  const load = useCallback(() => itApi.health(cfg), [cfg]);
  const { data, error, loading, reload } = useItData(load);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button onClick={() => void reload()} loading={loading}>
        刷新
      </Button>
      {error && <Alert type="error" showIcon title={error} />}
      {data && (
        <Descriptions bordered size="small" column={1} data-testid="it-health">
          <Descriptions.Item label="中心服务器地址">{cfg.hubUrl}</Descriptions.Item>
          <Descriptions.Item label="枢纽版本">{data.hubVersion}</Descriptions.Item>
          <Descriptions.Item label="数据存储">
            {data.store.kind === 'couchdb' ? 'CouchDB' : '内置存储'}（{data.store.version}）
          </Descriptions.Item>
          <Descriptions.Item label="待处理的流程积压">
            {data.backlog === null ? '未知' : `${data.backlog} 项`}
          </Descriptions.Item>
          <Descriptions.Item label="未处理的后台任务失败">
            {data.deadLetters.length} 条
          </Descriptions.Item>
        </Descriptions>
      )}
      {data && data.deadLetters.length > 0 && (
        <Table
          size="small"
          rowKey={(l) => `${l.job}:${l.caseId}`}
          dataSource={data.deadLetters}
          pagination={false}
          columns={[
            { title: '办件', dataIndex: 'caseId' },
            { title: '任务', dataIndex: 'job' },
            { title: '原因', render: (_, l) => `${l.message}（${l.code}）` },
            { title: '尝试次数', dataIndex: 'attempts' },
            { title: '最近一次', render: (_, l) => new Date(l.lastAt).toLocaleString('zh-CN') },
          ]}
        />
      )}
      <Typography.Paragraph type="secondary">
        失败的后台任务在办件下一次变化时自动重试；备份、恢复和迁移见《IT 运维指南》中的命令。
      </Typography.Paragraph>
    </Space>
  );
}
