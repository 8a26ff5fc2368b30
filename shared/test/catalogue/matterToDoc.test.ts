import { describe, expect, it } from 'vitest';
import { DEMO_COUNTY, DEMO_MATTERS, matterToDoc } from '../../src/catalogue/index.js';
import { validateMatterDoc } from '../../src/schemas/validators.js';

describe('matterToDoc', () => {
  it('turns every demo matter into a document the matters schema accepts', () => {
    for (const matter of DEMO_MATTERS) {
      const doc = matterToDoc(matter, '2026-11-22T04:00:00.000Z', DEMO_COUNTY);
      const verdict = validateMatterDoc(doc);
      expect(verdict.ok, `${matter.name}: ${verdict.ok ? '' : verdict.messageZh}`).toBe(true);
      expect(doc.id).toBe(matter.code);
      expect(doc.implementingBodyUscc).toBe(matter.code.slice(0, 18));
    }
  });

  it('maps service objects and the forward target', () => {
    const food = DEMO_MATTERS.find((m) => m.name === '食品经营许可')!;
    const doc = matterToDoc(food, '2026-11-22T04:00:00.000Z');
    expect(doc.serviceObjects).toEqual(['1', '2']);
    expect(doc.targetLevel).toBe('county');
    expect(doc.implementingBodyUscc).toBeUndefined();
  });
});
