/**
 * Catalogue search for the accept form: staff type part of a name (养老), pinyin initials
 * (cxjmyl) or a code. Better matches come first: exact code, then name and initials
 * prefixes, then substrings; ties keep catalogue order so the list does not jump around.
 */
import type { Matter } from './catalogueTypes.js';

type Searchable = Pick<Matter, 'code' | 'basicCode' | 'name' | 'pinyinInitials'>;

function scoreToken(token: string, matter: Searchable): number {
  const lower = token.toLowerCase();
  const upper = token.toUpperCase();
  const code = matter.code.toUpperCase();
  const basicCode = matter.basicCode.toUpperCase();
  if (code === upper || basicCode === upper) return 100;
  if (matter.name === token) return 90;
  if (matter.name.startsWith(token)) return 80;
  if (matter.pinyinInitials === lower) return 75;
  if (matter.pinyinInitials.startsWith(lower)) return 70;
  if (matter.name.includes(token)) return 60;
  if (lower.length >= 2 && matter.pinyinInitials.includes(lower)) return 50;
  // Code fragments only from 4 characters on: shorter digit runs match nearly everything.
  if (upper.length >= 4 && (code.includes(upper) || basicCode.includes(upper))) return 40;
  return 0;
}

/** Matters matching every whitespace-separated word of the query, best first. */
export function searchMatters<M extends Searchable>(query: string, matters: readonly M[]): M[] {
  const tokens = query
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  if (tokens.length === 0) return [...matters];
  const scored: { matter: M; score: number; index: number }[] = [];
  matters.forEach((matter, index) => {
    let score = 0;
    for (const token of tokens) {
      const tokenScore = scoreToken(token, matter);
      if (tokenScore === 0) return;
      score += tokenScore;
    }
    scored.push({ matter, score, index });
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.map((s) => s.matter);
}
