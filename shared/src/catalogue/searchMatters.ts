/**
 * Catalogue search for the accept form: staff type part of a name (养老), pinyin initials
 * (cxjmyl) or a code. Better matches come first: exact code, then name and initials
 * prefixes, then substrings; ties keep catalogue order so the list does not jump around.
 */

/**
 * What the search reads: a catalogue `Matter` (code) or a stored `MatterDoc` (id = 实施编码,
 * initials optional), so the hub's catalogue tools and the client's accept form share it.
 */
export interface SearchableMatter {
  name: string;
  basicCode: string;
  code?: string;
  id?: string;
  pinyinInitials?: string;
}

function scoreToken(token: string, matter: SearchableMatter): number {
  const lower = token.toLowerCase();
  const upper = token.toUpperCase();
  const code = (matter.code ?? matter.id ?? '').toUpperCase();
  const basicCode = matter.basicCode.toUpperCase();
  const initials = (matter.pinyinInitials ?? '').toLowerCase();
  if (code === upper || basicCode === upper) return 100;
  if (matter.name === token) return 90;
  if (matter.name.startsWith(token)) return 80;
  if (initials !== '' && initials === lower) return 75;
  if (initials !== '' && initials.startsWith(lower)) return 70;
  if (matter.name.includes(token)) return 60;
  if (lower.length >= 2 && initials.includes(lower)) return 50;
  // Code fragments only from 4 characters on: shorter digit runs match nearly everything.
  if (upper.length >= 4 && (code.includes(upper) || basicCode.includes(upper))) return 40;
  return 0;
}

/** Matters matching every whitespace-separated word of the query, best first. */
export function searchMatters<M extends SearchableMatter>(
  query: string,
  matters: readonly M[],
): M[] {
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
