import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

/**
 * The head of every window document: the title, the case's particulars under it and, where the
 * paper carries one, the case number as a QR code on the right (the public query reads it).
 */
export function DocumentHeader({
  title,
  lines,
  qr,
}: {
  title: string;
  lines: ReadonlyArray<readonly [label: string, text: string]>;
  /** The text to encode; none prints no code. */
  qr: string | null;
}) {
  const [image, setImage] = useState('');
  useEffect(() => {
    let live = true;
    if (qr) void QRCode.toDataURL(qr, { margin: 1, width: 120 }).then((u) => live && setImage(u));
    else setImage('');
    return () => {
      live = false;
    };
  }, [qr]);
  return (
    <div style={{ display: 'flex', alignItems: 'flex-start', gap: 16 }}>
      <div style={{ flex: 1 }}>
        <h2>{title}</h2>
        {lines.map(([label, text]) => (
          <p key={label}>
            {label}：{text}
          </p>
        ))}
      </div>
      {image && <img src={image} alt="办件编号二维码" width={110} height={110} />}
    </div>
  );
}
