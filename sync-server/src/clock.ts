/**
 * The hub's clock. Deadlines and event stamps use hub time only (device clocks lie). The
 * offset exists for drills and tests of overdue handling and can only be set in test mode.
 */
let offsetMs = 0;

export function hubNow(): Date {
  return new Date(Date.now() + offsetMs);
}

export function hubNowIso(): string {
  return hubNow().toISOString();
}

export function setClockOffset(ms: number): void {
  offsetMs = ms;
}

export function clockOffset(): number {
  return offsetMs;
}
