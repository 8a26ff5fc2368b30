import { DocumentHeader } from './DocumentHeader';
import type { DocumentData } from './documentFields';
import { fillText } from './documentFields';
import type { DocumentBlock, DocumentTemplate } from './documentTemplates';

/** The one renderer of every window document (documentTemplates.ts): A4 sheet, print CSS. */
export function DocumentSheet({
  template,
  data,
}: {
  template: DocumentTemplate;
  data: DocumentData;
}) {
  const fill = (t: string) => fillText(t, data.fields);
  const block = (b: DocumentBlock, i: number) => {
    switch (b.kind) {
      case 'para':
        return b.when && !data.fields[b.when] ? null : <p key={i}>{fill(b.text)}</p>;
      case 'fields':
        return (
          <table key={i}>
            <tbody>
              {b.rows.map(([label, text]) => (
                <tr key={label}>
                  <th style={{ width: '28%' }}>{label}</th>
                  <td>{fill(text)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      case 'materials':
        return (
          <table key={i}>
            <thead>
              <tr>
                <th>材料名称</th>
                <th>原件</th>
                <th>复印件</th>
                <th>状态</th>
              </tr>
            </thead>
            <tbody>
              {data.materials.map((m) => (
                <tr key={m.materialId}>
                  <td>{m.name}</td>
                  <td>{m.originals}</td>
                  <td>{m.copies}</td>
                  <td>{m.deferred ? '容缺后补' : m.missing ? '未收' : '已收'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      case 'corrections':
        return (
          <table key={i}>
            <thead>
              <tr>
                <th style={{ width: '10%' }}>序号</th>
                <th>材料名称</th>
                <th>问题</th>
              </tr>
            </thead>
            <tbody>
              {data.corrections.map((c, n) => (
                <tr key={c.materialId}>
                  <td>{n + 1}</td>
                  <td>{c.name}</td>
                  <td>{c.problem}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      case 'signatures':
        return (
          <div key={i} className="sign">
            {b.labels.map((l) => (
              <span key={l}>{l}：＿＿＿＿＿＿</span>
            ))}
          </div>
        );
      case 'sign':
        return (
          <div key={i} className="sign">
            {b.items.map((t) => (
              <span key={t}>{fill(t)}</span>
            ))}
          </div>
        );
    }
  };
  return (
    <div className="doc-sheet" data-testid={`document-${template.id}`}>
      <DocumentHeader
        title={template.heading ?? template.title}
        lines={(template.head ?? [])
          .filter(([, , when]) => !when || data.fields[when])
          .map(([label, text]) => [label, fill(text)] as const)}
        qr={template.qr ? data.qr : null}
      />
      {template.blocks.map(block)}
    </div>
  );
}
