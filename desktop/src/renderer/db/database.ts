import {
  addRxPlugin,
  createRxDatabase,
  type RxCollection,
  type RxDatabase,
  type RxStorage,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { CaseDoc } from '@sibantong/shared';
import {
  caseMigrationStrategies,
  caseSchema,
  calendarSchema,
  matterSchema,
  orgUnitSchema,
  referenceMigrationStrategies,
  refusalSchema,
  ticketSchema,
} from './schemas';
import type { LocalMatter, LocalOrgUnit, RefDoc, RefusalDoc } from './docTypes';
import { caseConflictHandler } from '../sync/conflictHandler';
import { setLocalFields } from './localFields';
import { exactChangedSinceStorage } from './changedSince';
import { encryptedFieldsStorage } from './encryptedStorage';

// Schema versions above 0 need the migration plugin (schemas.ts keeps each version's history).
addRxPlugin(RxDBMigrationSchemaPlugin);

export interface AppCollections {
  cases: RxCollection<CaseDoc>;
  matters: RxCollection<LocalMatter>;
  orgUnits: RxCollection<LocalOrgUnit>;
  calendars: RxCollection<RefDoc>;
  tickets: RxCollection<RefDoc>;
  refusals: RxCollection<RefusalDoc>;
}
export type AppDatabase = RxDatabase<AppCollections>;

/**
 * IndexedDB (Dexie) with citizens' data encrypted at rest (encryptedStorage.ts), reading
 * changes since a checkpoint as one exact index range (changedSince.ts).
 */
export function productStorage(): RxStorage<unknown, unknown> {
  return encryptedFieldsStorage({
    storage: exactChangedSinceStorage(getRxStorageDexie()),
  }) as RxStorage<unknown, unknown>;
}

/**
 * One IndexedDB database per enrolled device (dev-mode is never imported: it injects an
 * external iframe). Six collections, well under the free tier's limit of 13. `storage` is
 * the product's unless a benchmark compares another.
 */
export async function openDatabase(
  deviceId: string,
  dataKey: string,
  storage: RxStorage<unknown, unknown> = productStorage(),
): Promise<AppDatabase> {
  const db = await createRxDatabase<AppCollections>({
    name: `sibantong-${deviceId.toLowerCase().replace(/[^a-z0-9]/g, '')}`,
    storage,
    password: dataKey,
    multiInstance: false,
    eventReduce: true,
    closeDuplicates: true,
  });
  await db.addCollections({
    cases: {
      schema: caseSchema,
      conflictHandler: caseConflictHandler,
      migrationStrategies: caseMigrationStrategies,
    },
    matters: { schema: matterSchema, migrationStrategies: referenceMigrationStrategies },
    orgUnits: { schema: orgUnitSchema, migrationStrategies: referenceMigrationStrategies },
    calendars: { schema: calendarSchema, migrationStrategies: referenceMigrationStrategies },
    tickets: { schema: ticketSchema, migrationStrategies: referenceMigrationStrategies },
    refusals: { schema: refusalSchema },
  });
  // Every local write stores the derived index fields (pulled documents and resolved
  // conflicts get them in the pull modifier and the conflict handler): see localFields.ts.
  db.cases.preInsert((data) => setLocalFields(data), false);
  db.cases.preSave((data) => setLocalFields(data), false);
  return db;
}
