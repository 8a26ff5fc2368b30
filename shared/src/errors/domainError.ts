/**
 * Every refusal in Sibantong carries a stable code (for programs and logs) and a Chinese
 * message a member of staff can act on. The same codes travel over HTTP and sync.
 */
export class DomainError extends Error {
  constructor(
    public readonly code: string,
    public readonly messageZh: string,
    public readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(`${code}: ${messageZh}`);
    this.name = 'DomainError';
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; code: string; messageZh: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: string, messageZh: string): Result<T> => ({
  ok: false,
  code,
  messageZh,
});
