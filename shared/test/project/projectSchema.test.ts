import { describe, expect, it } from 'vitest';
import {
  LOCAL_COLLECTIONS,
  REPLICATED_COLLECTIONS,
  RXDB_COLLECTION_LIMIT,
} from '../../src/schemas/collectionPlan.js';
import { buildDemoProjects, projectSchema, validateProjectDoc } from '../../src/project/index.js';

// rxdb belongs to the desktop workspace; when it is installed, its own checker has the last word.
const RXDB_DEV_MODE = 'rxdb/plugins/dev-mode';
const rxdbDevMode = (await import(/* @vite-ignore */ RXDB_DEV_MODE).catch(() => null)) as {
  checkSchema: (schema: unknown) => void;
} | null;

describe('the projects collection schema', () => {
  it('fits the client: indexed and key fields required, bounded, never null', () => {
    const props = projectSchema.properties as Record<
      string,
      { type?: unknown; maxLength?: number }
    >;
    for (const field of [projectSchema.primaryKey, ...projectSchema.indexes]) {
      expect(projectSchema.required).toContain(field);
      expect(props[field]!.type).toBe('string');
      expect(props[field]!.maxLength).toBeGreaterThan(0);
    }
    // One more replicated collection still fits RxDB's limit.
    const count = Object.keys(REPLICATED_COLLECTIONS).length + LOCAL_COLLECTIONS.length + 1;
    expect(count).toBeLessThanOrEqual(RXDB_COLLECTION_LIMIT);
  });

  it.runIf(rxdbDevMode !== null)('passes RxDB’s own schema check', () => {
    expect(() => rxdbDevMode!.checkSchema(JSON.parse(JSON.stringify(projectSchema)))).not.toThrow();
  });

  it('refuses a derived field of the wrong kind and an unknown event type, in Chinese', () => {
    const [doc] = buildDemoProjects('2026-12-02');
    const bad = { ...doc!, stage: 'digging', events: [{ ...doc!.events[0]!, type: 'nonsense' }] };
    const result = validateProjectDoc(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.messageZh).toContain('项目格式不正确');
  });
});
