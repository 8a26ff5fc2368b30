/** The demo county's reference data as the hub would load it after `seed-demo` (no store). */
import { DEMO_COUNTY, DEMO_MATTERS, matterToDoc } from '@sibantong/shared';
import type { MatterDoc, RefSnapshot } from '../../src/domain/refData.js';
import {
  SEED_CALENDAR_YEARS,
  buildCalendar,
  createOrgDirectory,
} from '../../src/domain/sharedCompat.js';

export function demoRef(): RefSnapshot {
  const matters = new Map<string, MatterDoc>();
  for (const m of DEMO_MATTERS) {
    const doc = matterToDoc(m, '2026-01-01T00:00:00.000Z', DEMO_COUNTY) as unknown as MatterDoc;
    matters.set(String(doc.code ?? doc.id), doc);
  }
  return {
    org: createOrgDirectory([...DEMO_COUNTY]),
    units: [...DEMO_COUNTY],
    matters,
    calendar: buildCalendar(SEED_CALENDAR_YEARS),
    calendarTables: [...SEED_CALENDAR_YEARS],
  };
}
