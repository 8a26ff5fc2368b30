import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { deriveCaseState, type CaseDoc, type EventPayloads } from '@sibantong/shared';
import { maskIdNumber } from '@sibantong/shared';
import { chinaDateTime } from '@sibantong/shared';
import { receiptRefusal } from './receiptRules';

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
  const accept = doc.events.find((e) => e.type === 'accept');
  const deferred = accept ? (accept.payload as EventPayloads['accept']).deferred : undefined;
  const deferredNames = (deferred?.materialIds ?? []).map(
    (id) => materials.find((m) => m.materialId === id)?.name ?? id,
  );
  const refusal = receiptRefusal(deriveCaseState(doc.events));
  if (refusal)
    return (
      <div className="doc-sheet" data-testid="receipt-refused">
        {refusal}
      </div>
    );
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
      {deferred && (
        <p data-testid="receipt-deferred">
          容缺受理：申请人已签署容缺承诺书，容缺材料 <b>{deferredNames.join('、')}</b> 须于{' '}
          <b>{deferred.dueDate}</b> 前补齐，逾期未补齐的将终止办理。
        </p>
      )}
      <p>凭本回执查询办理进度、领取办理结果。</p>
      <div className="sign">
        <span>受理单位：{unitName}</span>
        <span>经办人：{staffName}</span>
        <span>受理时间 {chinaDateTime(accept?.hubTime ?? accept?.deviceTime)}</span>
      </div>
    </div>
  );
}
