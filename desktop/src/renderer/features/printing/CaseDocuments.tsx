import { useMemo, useState } from 'react';
import { Button, Dropdown, Tooltip, type MenuProps } from 'antd';
import type { CaseDoc } from '@sibantong/shared';
import { DocumentSheet } from './DocumentSheet';
import { documentData, type DocumentContext } from './documentFields';
import {
  DOCUMENT_TEMPLATES,
  documentRefusal,
  documentTemplate,
  type DocumentTemplate,
  type DocumentTemplateId,
} from './documentTemplates';
import { PrintPreview } from './PrintPreview';

/** A button for one document the screen offers straight away (the 受理回执 after 受理). */
export interface DocumentShortcut {
  id: DocumentTemplateId;
  label: string;
  testId: string;
  primary?: boolean;
  /** When the case does not allow it: shown disabled with the reason, or not shown. */
  whenRefused: 'disable' | 'hide';
}

/**
 * The documents of a case: the shortcuts the screen names, and 打印文书 — every document of the
 * template list, enabled when the case allows it (the reason is shown on the disabled ones).
 * Either opens the same print preview, which prints the paper or saves it as PDF.
 */
export function CaseDocuments({
  doc,
  ctx,
  shortcuts = [],
}: {
  doc: CaseDoc;
  ctx: Omit<DocumentContext, 'now'>;
  shortcuts?: readonly DocumentShortcut[];
}) {
  const [open, setOpen] = useState<DocumentTemplate | null>(null);
  const data = useMemo(() => documentData(doc, { ...ctx, now: new Date() }), [doc, ctx]);
  const items: MenuProps['items'] = DOCUMENT_TEMPLATES.map((t) => {
    const why = documentRefusal(t, data);
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
      {shortcuts.map((s) => {
        const t = documentTemplate(s.id);
        const why = documentRefusal(t, data);
        if (why && s.whenRefused === 'hide') return null;
        return (
          <Tooltip key={s.id} title={why}>
            <Button
              type={s.primary ? 'primary' : 'default'}
              disabled={why !== null}
              onClick={() => setOpen(t)}
              data-testid={s.testId}
            >
              {s.label}
            </Button>
          </Tooltip>
        );
      })}
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
