import { NoticePrint, type NoticeProps } from './NoticePrint';
import { PrintPreview } from './PrintPreview';
import { ReceiptPrint } from './ReceiptPrint';

export type CasePrint = 'receipt' | 'notice';

/** The two papers of an acceptance, each in its print preview: 受理回执 and 一次性告知单. */
export function CasePrints({
  printing,
  onClose,
  promisedDue,
  ...common
}: NoticeProps & {
  printing: CasePrint | null;
  onClose: () => void;
  promisedDue: string | null;
}) {
  return (
    <>
      <PrintPreview open={printing === 'receipt'} title="受理回执" onClose={onClose}>
        <ReceiptPrint {...common} promisedDue={promisedDue} />
      </PrintPreview>
      <PrintPreview open={printing === 'notice'} title="一次性告知单" onClose={onClose}>
        <NoticePrint {...common} />
      </PrintPreview>
    </>
  );
}
