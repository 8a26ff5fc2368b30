import { useRef, useState } from 'react';
import { Button, Space, message } from 'antd';
import { CameraOutlined, PaperClipOutlined } from '@ant-design/icons';
import { ATTACHMENT_TYPES, DomainError } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { attachFile } from '../../db/attachmentWrites';
import { kickAttachmentUploads } from '../../db/attachmentSync';
import { CameraCapture } from './CameraCapture';

/** 添加扫描件 (file: scanner output, photo or PDF) and 拍照, for one material or the case. */
export function AttachButtons({
  caseId,
  materialId,
  materialName,
  testId,
}: {
  caseId: string;
  materialId: string | null;
  materialName: string;
  testId: string;
}) {
  const { db, user, cfg } = useApp();
  const input = useRef<HTMLInputElement>(null);
  const [camera, setCamera] = useState(false);

  const store = async (bytes: Uint8Array, fileName: string) => {
    try {
      await attachFile(
        db,
        { caseId, materialId, materialName, fileName, bytes },
        user,
        cfg.deviceId,
      );
      void message.success(`已添加：${fileName}（联网后自动上传）`);
      kickAttachmentUploads();
    } catch (e) {
      void message.error(e instanceof DomainError ? e.messageZh : String(e));
    }
  };
  return (
    <Space size={4}>
      <input
        ref={input}
        type="file"
        multiple
        accept={ATTACHMENT_TYPES.join(',')}
        style={{ display: 'none' }}
        data-testid={`${testId}-input`}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          void (async () => {
            for (const f of files) await store(new Uint8Array(await f.arrayBuffer()), f.name);
          })();
        }}
      />
      <Button size="small" icon={<PaperClipOutlined />} onClick={() => input.current?.click()}>
        添加扫描件
      </Button>
      <Button size="small" icon={<CameraOutlined />} onClick={() => setCamera(true)}>
        拍照
      </Button>
      {/* Mounted only when asked: a case screen has one pair of buttons per material. */}
      {camera && (
        <CameraCapture
          open={camera}
          onClose={() => setCamera(false)}
          onPhoto={(b, n) => void store(b, n)}
        />
      )}
    </Space>
  );
}
