import type { MaterialNecessity } from '@sibantong/shared';
import type { LocalMatter } from '../db/docTypes';

/** The view of a matter the accept form needs, read tolerantly from the catalogue document. */
export interface MatterView {
  id: string;
  code: string;
  name: string;
  pinyinInitials: string;
  /** Village mode: direct_complete (即办 on the spot) or anything else (forward to the town). */
  villageMode: string;
  immediate: boolean;
  caseType: string;
  legalDays: number;
  promisedDays: number;
  materials: MaterialView[];
  level: string;
}
export interface MaterialView {
  id: string;
  name: string;
  originals: number;
  copies: number;
  necessity: MaterialNecessity;
}

function str(v: unknown, d = ''): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : d;
}
function num(v: unknown, d = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : d;
}
function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}

export function toMatterView(m: LocalMatter): MatterView {
  const limits = rec(m.timeLimits);
  const mats = Array.isArray(m.materials) ? (m.materials as unknown[]) : [];
  const caseType = str(m.caseType);
  const villageMode = str(m.villageMode) || str(rec(m.village).mode) || 'accept_and_forward';
  return {
    id: m.id,
    code: str(m.implementationCode) || str(m.code) || m.id,
    name: str(m.name),
    pinyinInitials: str(m.pinyinInitials) || str(m.pinyin),
    villageMode,
    // Only what the village itself completes is 即办 here; an immediate matter of the town is still forwarded.
    immediate: villageMode === 'direct_complete',
    caseType,
    legalDays: num(m.legalDays, num(limits.legalDays, num(m.legalTimeLimitDays, 20))),
    promisedDays: num(m.promisedDays, num(limits.promisedDays, num(m.promisedTimeLimitDays, 10))),
    level: str(m.exerciseLevel) || str(m.level),
    materials: mats.map((raw, i) => {
      const r = rec(raw);
      const nec = str(r.necessity, 'required');
      return {
        id: str(r.id) || `m${i + 1}`,
        name: str(r.name),
        originals: num(r.originals, num(r.originalCount, 1)),
        copies: num(r.copies, num(r.copyCount, 0)),
        necessity: (['required', 'optional', 'deferrable'].includes(nec)
          ? nec
          : 'required') as MaterialNecessity,
      };
    }),
  };
}

/** Catalogue search by name, code or pinyin initials (e.g. "cxjm" for 城乡居民…). */
export function matchesQuery(m: MatterView, q: string): boolean {
  const s = q.trim().toLowerCase();
  if (!s) return true;
  return (
    m.name.toLowerCase().includes(s) ||
    m.code.toLowerCase().includes(s) ||
    m.pinyinInitials.toLowerCase().startsWith(s) ||
    m.pinyinInitials.toLowerCase().includes(s)
  );
}
