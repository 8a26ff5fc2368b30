import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import type { CaseDoc, EventPayloads } from '@sibantong/shared';
import { maskIdNumber } from '@sibantong/shared';

export interface ReceiptProps {
  doc: CaseDoc;
  matterName: string;
  unitName: string;
  staffName: string;
  promisedDue: string | null;
}

/** 受理回执: the dated written acceptance the applicant takes home, with the number as QR. */
export function ReceiptPrint({ doc, matterName, unitName, staffName, promisedDue }: ReceiptProps) {
  const [qr, setQr] = useState<string>('');
  useEffect(() => {
    void QRCode.toDataURL(doc.provisionalNo, { margin: 1, width: 120 }).then(setQr);
  }, [doc.provisionalNo]);
  const receive = doc.events.find((e) => e.type === 'receive');
  const materials = receive ? (receive.payload as EventPayloads['receive']).materials : [];
  const at = receive ? new Date(receive.deviceTime) : new Date();
  return (
    <div className="doc-sheet" data-testid="receipt-print">
      <h2>受 理 回 执</h2>
      <div style={{ display: 'flex', justifyContent: 'space-between' }}>
        <div>
          <p>
            临时编号：<b data-testid="receipt-no">{doc.provisionalNo}</b>
          </p>
          {doc.officialNo && <p>正式编号：{doc.officialNo}</p>}
          <p>申请事项：{matterName}</p>
          <p>
            申请人：{doc.applicantName}（证件号 {maskIdNumber(doc.applicant.idNumber)}）
          </p>
          <p>承诺办结日期：{promisedDue ?? '以正式受理后告知为准'}</p>
        </div>
        {qr && <img src={qr} alt="办件编号二维码" width={120} height={120} />}
      </div>
      <table>
        <thead>
          <tr>
            <th>材料名称</th>
            <th>原件</th>
            <th>复印件</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          {materials.map((m) => (
            <tr key={m.materialId}>
              <td>{m.name}</td>
              <td>{m.originals}</td>
              <td>{m.copies}</td>
              <td>{m.deferred ? '容缺后补' : m.missing ? '未收' : '已收'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>凭本回执查询办理进度、领取办理结果。</p>
      <div className="sign">
        <span>受理单位：{unitName}</span>
        <span>经办人：{staffName}</span>
        <span>{at.toLocaleString('zh-CN')}</span>
      </div>
    </div>
  );
}
