/**
 * Pinyin initials of a matter name for search: staff type `cxjmyl` for 城乡居民养老…
 * pinyin-pro picks readings by context (调解 → tj, 行政 → xz), which the search depends on.
 */
import { pinyin } from 'pinyin-pro';

export function pinyinInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
