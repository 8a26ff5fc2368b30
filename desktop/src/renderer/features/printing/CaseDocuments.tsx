import { useMemo, useState } from 'react';
import { Button, Dropdown, type MenuProps } from 'antd';
import type { CaseDoc } from '@sibantong/shared';
import { DocumentSheet } from './DocumentSheet';
import { documentData, type DocumentContext } from './documentFields';
import { DOCUMENT_TEMPLATES, documentRefusal, type DocumentTemplate } from './documentTemplates';
import { PrintPreview } from './PrintPreview';

/**
 * 打印文书: every window document of the template list, enabled when the case allows it (the
 * reason is shown on the disabled ones); the chosen one opens in the print preview, which
 * prints it or saves it as PDF.
 */
export function CaseDocuments({ doc, ctx }: { doc: CaseDoc; ctx: Omit<DocumentContext, 'now'> }) {
  const [open, setOpen] = useState<DocumentTemplate | null>(null);
  const data = useMemo(() => documentData(doc, { ...ctx, now: new Date() }), [doc, ctx]);
  const items: MenuProps['items'] = DOCUMENT_TEMPLATES.map((t) => {
    const why = documentRefusal(t, data.state, data.fields);
    return {
      key: t.id,
      disabled: why !== null,
      label: (
        <span data-testid={`doc-menu-${t.id}`}>
          {t.title}
          {why && <span style={{ color: '#999', marginLeft: 8 }}>（{why}）</span>}
        </span>
      ),
    };
  });
  return (
    <>
      <Dropdown
        menu={{
          items,
          onClick: ({ key }) => setOpen(DOCUMENT_TEMPLATES.find((t) => t.id === key) ?? null),
        }}
      >
        <Button data-testid="detail-documents">打印文书</Button>
      </Dropdown>
      <PrintPreview
        open={open !== null}
        title={open?.title ?? ''}
        pdfName={open ? `${open.title}-${data.fields.caseNo}` : undefined}
        onClose={() => setOpen(null)}
      >
        {open && <DocumentSheet template={open} data={data} />}
      </PrintPreview>
    </>
  );
}
