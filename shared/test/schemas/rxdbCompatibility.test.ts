import { describe, expect, it } from 'vitest';
import {
  LOCAL_COLLECTIONS,
  REPLICATED_COLLECTIONS,
  RXDB_COLLECTION_LIMIT,
} from '../../src/schemas/collectionPlan.js';

type Schema = {
  primaryKey: string;
  required: readonly string[];
  properties: Record<string, { type?: unknown; maxLength?: number }>;
  indexes?: readonly (string | readonly string[])[];
};

const schemas = Object.entries(REPLICATED_COLLECTIONS) as [string, Schema][];

// rxdb belongs to the desktop workspace; when it is installed, its own checker has the last
// word. A variable specifier keeps shared's type-check independent of rxdb being present.
const RXDB_DEV_MODE = 'rxdb/plugins/dev-mode';
const rxdbDevMode = (await import(/* @vite-ignore */ RXDB_DEV_MODE).catch(() => null)) as {
  checkSchema: (schema: unknown) => void;
} | null;

describe('collection plan', () => {
  it('stays within the RxDB collection limit', () => {
    expect(schemas.length + LOCAL_COLLECTIONS.length).toBeLessThanOrEqual(RXDB_COLLECTION_LIMIT);
  });

  it.each(schemas)('%s: indexed and key fields are required, bounded strings', (_name, schema) => {
    const fields = [schema.primaryKey, ...(schema.indexes ?? []).flat()];
    for (const field of fields) {
      expect(schema.required).toContain(field);
      const property = schema.properties[field]!;
      if (property.type === 'string') expect(property.maxLength).toBeGreaterThan(0);
      expect(property.type).not.toEqual(expect.arrayContaining(['null']));
    }
    for (const name of Object.keys(schema.properties)) expect(name.startsWith('_')).toBe(false);
  });

  it.runIf(rxdbDevMode !== null).each(schemas)(
    '%s passes RxDB’s own schema check',
    (_name, schema) => {
      expect(() => rxdbDevMode!.checkSchema(JSON.parse(JSON.stringify(schema)))).not.toThrow();
    },
  );
});
