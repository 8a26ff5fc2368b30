/**
 * Ids of events the hub refused in this session. The conflict handler must not merge them back
 * into the case (they live in the `refusals` collection instead), or the refused write would
 * be pushed again forever and block nothing but waste every sync round.
 */
const refused = new Set<string>();
export function markEventsRefused(ids: readonly string[]): void {
  for (const id of ids) refused.add(id);
}
export function isEventRefused(id: string): boolean {
  return refused.has(id);
}
