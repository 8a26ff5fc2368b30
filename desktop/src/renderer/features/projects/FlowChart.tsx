import { useMemo } from 'react';
import { MATTER_MODE_LABELS_ZH, type ProjectMatter } from '@sibantong/shared';

const BOX_W = 200;
const BOX_H = 44;
const GAP_X = 60;
const GAP_Y = 18;

/**
 * 审批流程图: the dependency graph in layers (a matter's layer = the longest chain of
 * prerequisites before it), edges from each prerequisite to its dependent. Matters on the
 * critical path are drawn red. A cycle cannot be stored (the shared checks refuse it).
 */
export function FlowChart({
  matters,
  critical,
}: {
  matters: readonly ProjectMatter[];
  critical: ReadonlySet<string>;
}) {
  const layout = useMemo(() => {
    const byKey = new Map(matters.map((m) => [m.matterKey, m]));
    const layer = new Map<string, number>();
    const depth = (key: string, seen: Set<string>): number => {
      const known = layer.get(key);
      if (known !== undefined) return known;
      if (seen.has(key)) return 0;
      seen.add(key);
      const m = byKey.get(key);
      const d = m
        ? Math.max(-1, ...m.dependsOn.filter((k) => byKey.has(k)).map((k) => depth(k, seen))) + 1
        : 0;
      layer.set(key, d);
      return d;
    };
    for (const m of matters) depth(m.matterKey, new Set());
    const columns: ProjectMatter[][] = [];
    for (const m of matters) (columns[layer.get(m.matterKey)!] ??= []).push(m);
    const pos = new Map<string, { x: number; y: number }>();
    columns.forEach((col, i) =>
      col.forEach((m, j) =>
        pos.set(m.matterKey, { x: i * (BOX_W + GAP_X), y: j * (BOX_H + GAP_Y) }),
      ),
    );
    const height = Math.max(1, ...columns.map((c) => c.length)) * (BOX_H + GAP_Y);
    return { pos, width: columns.length * (BOX_W + GAP_X), height };
  }, [matters]);
  if (matters.length === 0) return <p>审批事项清单为空</p>;
  return (
    <svg
      data-testid="project-flow-chart"
      width={layout.width}
      height={layout.height}
      style={{ background: '#fff', maxWidth: '100%' }}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
    >
      <defs>
        <marker id="arrow" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto">
          <path d="M0,0 L8,4 L0,8 z" fill="#888" />
        </marker>
      </defs>
      {matters.flatMap((m) =>
        m.dependsOn.map((dep) => {
          const a = layout.pos.get(dep);
          const b = layout.pos.get(m.matterKey);
          if (!a || !b) return null;
          return (
            <line
              key={`${dep}->${m.matterKey}`}
              x1={a.x + BOX_W}
              y1={a.y + BOX_H / 2}
              x2={b.x}
              y2={b.y + BOX_H / 2}
              stroke="#888"
              markerEnd="url(#arrow)"
            />
          );
        }),
      )}
      {matters.map((m) => {
        const p = layout.pos.get(m.matterKey)!;
        const hot = critical.has(m.matterKey);
        return (
          <g key={m.matterKey} transform={`translate(${p.x},${p.y})`}>
            <rect
              width={BOX_W}
              height={BOX_H}
              rx={6}
              fill={hot ? '#fff1f0' : '#f0f5ff'}
              stroke={hot ? '#cf1322' : '#2f54eb'}
            />
            <text x={8} y={18} fontSize={12}>
              {m.name.length > 15 ? `${m.name.slice(0, 15)}…` : m.name}
            </text>
            <text x={8} y={36} fontSize={11} fill="#666">
              {m.durationDays} 个工作日
              {m.modes.length > 0
                ? ` · ${m.modes.map((x) => MATTER_MODE_LABELS_ZH[x]).join('/')}`
                : ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
