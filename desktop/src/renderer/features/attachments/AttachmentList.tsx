import { useEffect, useState } from 'react';
import { Button, List, Modal, Space, Tag, Typography, message } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { chinaDateTime } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { attachmentStoreOf, type LocalAttachment } from '../../db/attachmentsCollection';
import { loadAttachmentData } from '../../db/attachmentSync';
import { fromBase64 } from '../../db/attachmentWrites';
import { useOrgUnits } from '../../hooks/useReference';

const kb = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;

function UploadTag({ a }: { a: LocalAttachment }) {
  switch (a.upload) {
    case 'pending':
      return <Tag color="orange">待上传</Tag>;
    case 'uploaded':
      return <Tag color="green">已上传</Tag>;
    case 'remote':
      return <Tag color="blue">中心服务器</Tag>;
    case 'refused':
      return (
        <Tag color="red" data-testid="attachment-refused">
          被拒：{a.refusedMessage}（{a.refusedCode}）
        </Tag>
      );
  }
}

/** A blob URL of the file's bytes, when they are on this PC (thumbnails never download). */
function useLocalUrl(a: LocalAttachment, loaded: number): string | null {
  const { db } = useApp();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const store = attachmentStoreOf(db);
    if (!store) return;
    let made: string | null = null;
    void store.attachmentFiles
      .findOne(a.id)
      .exec()
      .then((f) => {
        if (!f) return;
        made = URL.createObjectURL(new Blob([fromBase64(f.data)], { type: a.mimeType }));
        setUrl(made);
      });
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [db, a.id, a.mimeType, loaded]);
  return url;
}

function Thumb({ a, loaded, onOpen }: { a: LocalAttachment; loaded: number; onOpen: () => void }) {
  const url = useLocalUrl(a, loaded);
  const box = {
    width: 64,
    height: 64,
    objectFit: 'cover' as const,
    cursor: 'pointer',
    border: '1px solid #ddd',
  };
  if (a.mimeType === 'application/pdf')
    return (
      <FilePdfOutlined
        style={{ fontSize: 48, color: '#c0392b', cursor: 'pointer' }}
        onClick={onOpen}
      />
    );
  return url ? (
    <img src={url} alt={a.fileName} style={box} onClick={onOpen} data-testid="attachment-thumb" />
  ) : (
    <Button size="small" onClick={onOpen} style={{ width: 64, height: 64 }}>
      查看
    </Button>
  );
}

/**
 * The history of a case's files: who attached what and when, with its upload state (a file
 * the hub refused shows the reason); a thumbnail for images; the viewer opens a file (fetched
 * from the hub the first time when it was attached elsewhere, then kept here).
 */
export function AttachmentList({ items }: { items: LocalAttachment[] }) {
  const { db, cfg } = useApp();
  const org = useOrgUnits();
  const [viewing, setViewing] = useState<{ a: LocalAttachment; url: string } | null>(null);
  const [loaded, setLoaded] = useState(0);
  const open = async (a: LocalAttachment) => {
    const store = attachmentStoreOf(db);
    if (!store) return;
    try {
      const data = await loadAttachmentData(store, cfg, a.id);
      setLoaded((n) => n + 1);
      setViewing({
        a,
        url: URL.createObjectURL(new Blob([fromBase64(data)], { type: a.mimeType })),
      });
    } catch (e) {
      void message.error(`无法打开附件：${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const close = () => {
    if (viewing) URL.revokeObjectURL(viewing.url);
    setViewing(null);
  };
  return (
    <>
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: '暂无附件' }}
        renderItem={(a) => (
          <List.Item data-testid="attachment-item" data-name={a.fileName}>
            <Space align="start">
              <Thumb a={a} loaded={loaded} onOpen={() => void open(a)} />
              <div>
                <Typography.Link onClick={() => void open(a)} data-testid="attachment-open">
                  {a.fileName}
                </Typography.Link>{' '}
                <UploadTag a={a} />
                <div style={{ color: '#666', fontSize: 12 }} data-testid="attachment-history">
                  {a.materialName || '办件附件'} · {kb(a.size)} · {a.attachedBy.name}（
                  {org.name(a.attachedBy.orgUnitId)}）{chinaDateTime(a.hubTime || a.attachedAt)}{' '}
                  添加
                </div>
              </div>
            </Space>
          </List.Item>
        )}
      />
      <Modal
        open={viewing !== null}
        title={viewing?.a.fileName}
        onCancel={close}
        footer={
          viewing && (
            <a href={viewing.url} download={viewing.a.fileName}>
              另存到本机
            </a>
          )
        }
        width={960}
        destroyOnHidden
      >
        {viewing &&
          (viewing.a.mimeType === 'application/pdf' ? (
            <p data-testid="attachment-viewer">
              PDF 文件（{kb(viewing.a.size)}）：请点击“另存到本机”后用 PDF 阅读器打开。
            </p>
          ) : (
            <img
              src={viewing.url}
              alt={viewing.a.fileName}
              style={{ maxWidth: '100%' }}
              data-testid="attachment-viewer"
            />
          ))}
      </Modal>
    </>
  );
}
