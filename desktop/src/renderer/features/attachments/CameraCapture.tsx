import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Modal, Space } from 'antd';

/**
 * Takes a photo with the PC's camera (getUserMedia; the desktop allows the `media` permission
 * for its own page only). Gives back a JPEG; says so plainly when there is no camera.
 */
export function CameraCapture({
  open,
  onClose,
  onPhoto,
}: {
  open: boolean;
  onClose: () => void;
  onPhoto: (bytes: Uint8Array, name: string) => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    let stream: MediaStream | null = null;
    setError(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setError('本机浏览器不支持摄像头，请用扫描仪扫描后选择文件');
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { width: { ideal: 1920 } }, audio: false })
      .then((s) => {
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play();
        }
      })
      .catch(() => setError('无法打开摄像头（未连接或未授权），请用扫描仪扫描后选择文件'));
    return () => stream?.getTracks().forEach((t) => t.stop());
  }, [open]);

  const shoot = () => {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')?.drawImage(v, 0, 0);
    canvas.toBlob(
      (blob) => {
        if (!blob) return;
        void blob.arrayBuffer().then((b) => {
          onPhoto(new Uint8Array(b), `拍照-${new Date().toLocaleString('zh-CN')}.jpg`);
          onClose();
        });
      },
      'image/jpeg',
      0.85,
    );
  };
  return (
    <Modal
      open={open}
      title="拍照添加"
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={720}
    >
      {error ? (
        <Alert type="warning" showIcon title={error} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <video ref={video} style={{ width: '100%', background: '#000' }} muted playsInline />
          <Button type="primary" onClick={shoot}>
            拍照
          </Button>
        </Space>
      )}
    </Modal>
  );
}
