import type { CaseState } from '@sibantong/shared';

/**
 * A 受理回执 is the written proof that a case was accepted (行政许可法 §32): it cannot be
 * issued for a case that was only received, returned for correction or refused. Returns the
 * Chinese reason when no receipt may be printed, null when it may.
 */
export function receiptRefusal(state: CaseState): string | null {
  if (state.acceptedAt !== null) return null;
  if (state.status === 'not_accepted') return '本件不予受理，不能出具受理回执';
  return '本件尚未受理（仅收件），不能打印受理回执；缺件时请打印一次性告知单';
}
