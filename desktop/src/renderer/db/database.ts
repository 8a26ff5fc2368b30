import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedKeyEncryptionCryptoJsStorage } from 'rxdb/plugins/encryption-crypto-js';
import type { CaseDoc } from '@sibantong/shared';
import {
  caseMigrationStrategies,
  caseSchema,
  calendarSchema,
  matterSchema,
  orgUnitSchema,
  refusalSchema,
  ticketSchema,
} from './schemas';
import type { LocalMatter, LocalOrgUnit, RefDoc, RefusalDoc } from './docTypes';
import { caseConflictHandler } from '../sync/conflictHandler';
import { setLocalFields } from './localFields';

// Schema versions above 0 need the migration plugin (the case schema is at 2: list indexes).
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
 * One IndexedDB database per enrolled device (Dexie storage; dev-mode is never imported:
 * it injects an external iframe). Six collections, well under the free tier's limit of 13.
 */
export async function openDatabase(deviceId: string, dataKey: string): Promise<AppDatabase> {
  const db = await createRxDatabase<AppCollections>({
    name: `sibantong-${deviceId.toLowerCase().replace(/[^a-z0-9]/g, '')}`,
    storage: wrappedKeyEncryptionCryptoJsStorage({ storage: getRxStorageDexie() }),
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
    matters: { schema: matterSchema },
    orgUnits: { schema: orgUnitSchema },
    calendars: { schema: calendarSchema },
    tickets: { schema: ticketSchema },
    refusals: { schema: refusalSchema },
  });
  // Every local write stores the derived index fields (pulled documents and resolved
  // conflicts get them in the pull modifier and the conflict handler): see localFields.ts.
  db.cases.preInsert((data) => setLocalFields(data), false);
  db.cases.preSave((data) => setLocalFields(data), false);
  return db;
}
