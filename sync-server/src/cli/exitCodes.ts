/**
 * Exit codes of `sibantong-hub`, stable for IT's scripts (docs/it-guide.md):
 * 0 done · 1 the hub or its store failed · 2 wrong usage (see --help) · 3 input refused
 * (unknown unit, user or device, password policy, existing user).
 */
import { AdminInputError } from '../auth/adminInputError.js';

export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, REFUSED: 3 } as const;

/** A refusal of what IT typed: printed as is, exit 3. */
export class CliRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliRefusal';
  }
}

export function exitCodeOf(err: unknown): number {
  return err instanceof CliRefusal || err instanceof AdminInputError ? EXIT.REFUSED : EXIT.FAILED;
}

/** The Chinese line printed for a failure (never a stack trace). */
export function messageOf(err: unknown): string {
  if (err instanceof CliRefusal || err instanceof AdminInputError) return err.message;
  const text = err instanceof Error ? err.message : String(err);
  // Messages of the hub's own checks are Chinese already; anything else is a fault.
  return /[\u4e00-\u9fff]/.test(text) ? text : `执行失败：${text}`;
}
