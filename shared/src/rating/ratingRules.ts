/** The rules of a citizen's rating, pure (the case machine checks them on every push). */

/** 差评 reasons a citizen can tick (the usual causes the 好差评 system lists). */
export const BAD_RATING_REASONS = [
  'slow',
  'repeat_visits',
  'unclear_guidance',
  'attitude',
  'rules_unclear',
  'other',
] as const;
export type BadRatingReason = (typeof BAD_RATING_REASONS)[number];

export const BAD_RATING_REASON_LABELS_ZH: Readonly<Record<BadRatingReason, string>> = {
  slow: '办理时间长',
  repeat_visits: '多次跑腿',
  unclear_guidance: '告知不清楚',
  attitude: '服务态度差',
  rules_unclear: '办事流程繁琐',
  other: '其他',
};

/** Levels 4 and 5 (不满意, 非常不满意) are 差评: they need a reason and open a follow-up. */
export const isBadRating = (level: number): boolean => level >= 4;

/** Null when level, reasons and text fit together; else the Chinese reason. */
export function ratingReasonProblem(
  level: number,
  reasons: readonly string[] | undefined,
  text: string | undefined,
): string | null {
  const n = reasons?.length ?? 0;
  if (isBadRating(level) && n === 0 && !(text ?? '').trim())
    return '差评请至少勾选一项原因或写明意见';
  if (!isBadRating(level) && n > 0) return '只有差评需要勾选原因';
  return null;
}
