import type { RxCollection, RxConflictHandler, RxJsonSchema } from 'rxdb';
import type { AppDatabase } from './database';
import {
  RISK_KEY_LENGTH,
  unknownRiskFields,
  withoutLocalProjectFields,
  withProjectLocalFields,
  type StoredProject,
} from './projectLocalFields';
import {
  mergeProjectDocs,
  projectSchema as sharedProjectSchema,
  type ProjectDoc,
} from '@sibantong/shared';

/**
 * The `projects` collection (重点项目代办, docs/projects.md): the shared project JSON schema
 * (the hub validates every push with the same object), JSON-cloned so RxDB's in-place defaults
 * never touch the shared one, plus the local list fields of projectLocalFields.ts (`riskKey`
 * indexed: the list is a sorted page read, not a fold of every project). `events` is sealed at
 * rest like a case's citizen data (encryptedStorage.ts): it holds the owner's contact, names
 * and the work log.
 *
 * Version 1 (local fields, sealed events): the migration keeps every document, its risk
 * marked unknown until the list's refresh computes it.
 *
 * Collections: the app holds 6 (database.ts) + `projects` + `projectRefusals` = 8 of RxDB
 * free's 13 per process. They are added by `addProjectCollections` after the database opens
 * (App.tsx), not in `openDatabase`: the renderer tests run two simulated desktops in one
 * process (6 + 6 = 12, desktop/test/chaos/world.ts), which two more each would break.
 */
const sharedCopy = JSON.parse(JSON.stringify(sharedProjectSchema)) as RxJsonSchema<ProjectDoc> & {
  properties: Record<string, unknown>;
  required: string[];
  indexes: (string | string[])[];
};
export const projectCollectionSchema = {
  ...sharedCopy,
  version: 1,
  properties: {
    ...sharedCopy.properties,
    riskKey: { type: 'string', maxLength: RISK_KEY_LENGTH },
    riskDay: { type: 'string', maxLength: 10 },
    risk: { type: ['object', 'null'] },
  },
  required: [...sharedCopy.required, 'riskKey'],
  indexes: [...sharedCopy.indexes, 'riskKey'],
  encrypted: ['events'],
} as unknown as RxJsonSchema<StoredProject>;

export const projectMigrationStrategies = {
  1: (old: ProjectDoc): StoredProject => ({ ...old, ...unknownRiskFields() }),
};

/** A project event the hub refused, kept on this device until the user dismisses it. */
export interface ProjectRefusalDoc {
  id: string;
  projectId: string;
  projectName: string;
  code: string;
  message: string;
  refusedEventIds: string[];
  refusedEventTypes: string[];
  /** The project as this device had it when pushing (the refused events included). */
  projectSnapshot: ProjectDoc;
  createdAt: string;
  state: 'open' | 'dismissed';
}

export const projectRefusalSchema: RxJsonSchema<ProjectRefusalDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 300 },
    projectId: { type: 'string', maxLength: 100 },
    projectName: { type: 'string' },
    code: { type: 'string' },
    message: { type: 'string' },
    refusedEventIds: { type: 'array', items: { type: 'string' } },
    refusedEventTypes: { type: 'array', items: { type: 'string' } },
    projectSnapshot: { type: 'object' },
    createdAt: { type: 'string' },
    state: { type: 'string' },
  },
  required: ['id', 'projectId', 'code', 'refusedEventIds'],
  indexes: ['projectId'],
};

/**
 * Event ids the hub refused. The conflict handler leaves them out of the merge, so that a
 * refused event is not pushed again forever; it stays visible in `projectRefusals`.
 */
const refusedIds = new Set<string>();
export function markProjectEventsRefused(ids: readonly string[]): void {
  for (const id of ids) refusedIds.add(id);
}

/** The events of a project this device keeps (every event not refused by the hub). */
export function withoutRefused(doc: ProjectDoc): ProjectDoc {
  if (!doc.events.some((e) => refusedIds.has(e.id))) return doc;
  return { ...doc, events: doc.events.filter((e) => !refusedIds.has(e.id)) };
}

function eventKey(d: ProjectDoc): string {
  return d.events
    .map((e) => `${e.id}@${e.hubTime ?? ''}`)
    .sort()
    .join(',');
}

/**
 * Histories always merge (union by event id, commutative and idempotent): the hub's copy and
 * this device's are combined, so no offline edit is dropped by a conflict, except events the
 * hub refused (kept in `projectRefusals`). A removal from the hub (the user left the team)
 * wins: the project is no longer this user's to hold. The merged document gets its local
 * fields here: RxDB writes a resolution without running the collection's hooks.
 */
export function projectConflictHandlerFor(db: AppDatabase | null): RxConflictHandler<ProjectDoc> {
  return {
    isEqual(a, b) {
      if (Boolean(a._deleted) !== Boolean(b._deleted)) return false;
      return eventKey(a) === eventKey(b);
    },
    async resolve(input) {
      const master = input.realMasterState;
      if (master._deleted || input.newDocumentState._deleted) return master;
      const local = withoutRefused(withoutLocalProjectFields(input.newDocumentState));
      const merged = mergeProjectDocs(withoutLocalProjectFields(master), local);
      return { ...(await withProjectLocalFields(db, merged)), _deleted: false };
    },
  };
}
export const projectConflictHandler = projectConflictHandlerFor(null);

/** Keeps a refused write visibly on this device (code, message, the project as pushed). */
export async function recordProjectRefusal(
  db: Pick<ProjectStore, 'projectRefusals'>,
  snapshot: ProjectDoc,
  code: string,
  message: string,
  refusedEventIds: readonly string[],
): Promise<void> {
  markProjectEventsRefused(refusedEventIds);
  const types = snapshot.events.filter((e) => refusedEventIds.includes(e.id)).map((e) => e.type);
  await db.projectRefusals.upsert({
    id: `${snapshot.id}|${refusedEventIds[0] ?? Date.now()}`,
    projectId: snapshot.id,
    projectName: snapshot.name,
    code,
    message,
    refusedEventIds: [...refusedEventIds],
    refusedEventTypes: types,
    projectSnapshot: snapshot,
    createdAt: new Date().toISOString(),
    state: 'open',
  });
}

export type ProjectCollection = RxCollection<ProjectDoc>;
export type ProjectRefusalCollection = RxCollection<ProjectRefusalDoc>;

export interface ProjectStore {
  projects: ProjectCollection;
  projectRefusals: ProjectRefusalCollection;
}

/** Adds the project collections to an open database (idempotent); returns the database. */
export async function addProjectCollections(db: AppDatabase): Promise<AppDatabase> {
  if (projectStoreOf(db)) return db;
  await db.addCollections({
    projects: {
      schema: projectCollectionSchema,
      conflictHandler: projectConflictHandlerFor(db),
      migrationStrategies: projectMigrationStrategies,
    },
    projectRefusals: { schema: projectRefusalSchema },
  } as unknown as Parameters<AppDatabase['addCollections']>[0]);
  // Every local write stores the list fields (pulled documents get them in the pull modifier).
  const projects = projectStoreOf(db)!.projects as unknown as RxCollection<StoredProject>;
  const fill = async (data: StoredProject) => {
    Object.assign(data, await withProjectLocalFields(db, data));
  };
  projects.preInsert(fill, false);
  projects.preSave(fill, false);
  return db;
}

/** The project collections of a database, or null when they were not added. */
export function projectStoreOf(db: AppDatabase): ProjectStore | null {
  const all = db.collections as unknown as Partial<ProjectStore>;
  return all.projects && all.projectRefusals
    ? { projects: all.projects, projectRefusals: all.projectRefusals }
    : null;
}

/** The project collections, or an error the screen shows (the app always adds them). */
export function requireProjectStore(db: AppDatabase): ProjectStore {
  const store = projectStoreOf(db);
  if (!store) throw new Error('本设备的项目数据尚未打开，请重新启动四办通');
  return store;
}
