// @vitest-environment node
/**
 * The stored risk order of the project list (db/projectLocalFields.ts) is the shared one:
 * sorting by `riskKey` gives the order of `compareProjectRisk` for any risks, and the hub's
 * schema never sees the local fields.
 */
import { describe, expect, it } from 'vitest';
import {
  buildDemoProjects,
  compareProjectRisk,
  validateProjectDoc,
  type ProjectRisk,
  type ProjectRiskLevel,
} from '@sibantong/shared';
import {
  projectLocalFieldsOf,
  riskKeyOf,
  withoutLocalProjectFields,
} from '../../src/renderer/db/projectLocalFields';

const LEVELS: ProjectRiskLevel[] = ['overdue', 'invalid', 'at_risk', 'on_track', 'no_target'];

function randomRisk(rand: () => number): ProjectRisk {
  const level = LEVELS[Math.floor(rand() * LEVELS.length)]!;
  const slack = rand() < 0.2 ? null : Math.floor(rand() * 400) - 200;
  const warnings = Array.from({ length: Math.floor(rand() * 4) }, () => ({
    kind: 'start_overdue' as const,
    matterKey: 'm',
    due: '2026-01-05',
    daysLate: 1,
    messageZh: '',
  }));
  return { level, slackDays: slack, warnings, provisional: false, messageZh: null };
}

describe('stored project risk', () => {
  it('sorts by riskKey exactly as compareProjectRisk orders (2,000 random pairs)', () => {
    let s = 7;
    const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let i = 0; i < 2000; i += 1) {
      const a = randomRisk(rand);
      const b = randomRisk(rand);
      const byRule = Math.sign(compareProjectRisk(a, b));
      const ka = riskKeyOf(a);
      const kb = riskKeyOf(b);
      expect(Math.sign(ka < kb ? -1 : ka > kb ? 1 : 0), JSON.stringify([a, b])).toBe(byRule);
    }
  });

  it('computes the demo park as overdue and leaves the hub a clean document', () => {
    const [park] = buildDemoProjects('2026-12-02');
    const fields = projectLocalFieldsOf(park!, {
      today: '2026-12-02',
      calendar: undefined,
      cases: new Map(),
    });
    expect(fields.risk?.level).toBe('overdue');
    expect(fields.riskKey.startsWith('0')).toBe(true);
    const stored = { ...park!, ...fields };
    expect(validateProjectDoc(stored).ok).toBe(false); // the hub refuses unknown fields
    expect(validateProjectDoc(withoutLocalProjectFields(stored)).ok).toBe(true);
  });
});
