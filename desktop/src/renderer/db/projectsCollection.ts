import type { RxCollection, RxConflictHandler, RxJsonSchema } from 'rxdb';
import type { AppDatabase } from './database';
import {
  mergeProjectDocs,
  projectSchema as sharedProjectSchema,
  type ProjectDoc,
} from '@sibantong/shared';

/**
 * The `projects` collection (重点项目代办, docs/projects.md): the shared project JSON schema
 * as it is (the hub validates every push with the same object), JSON-cloned so RxDB's
 * in-place defaults never touch the shared one. A project carries no citizen's identity (an
 * enterprise and its contact), so nothing is encrypted at rest; the fields its lists read
 * (`siteUnitId`, `updatedAt`) are indexed by the shared schema already, so no local field is
 * added.
 *
 * Collections: the app holds 6 (database.ts) + `projects` + `projectRefusals` = 8 of RxDB
 * free's 13 per process. They are added by `addProjectCollections` after the database opens
 * (App.tsx), not in `openDatabase`: the renderer tests run two simulated desktops in one
 * process (6 + 6 = 12, desktop/test/chaos/world.ts), which two more each would break.
 */
export const projectCollectionSchema = JSON.parse(
  JSON.stringify(sharedProjectSchema),
) as RxJsonSchema<ProjectDoc>;

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
 * wins: the project is no longer this user's to hold.
 */
export const projectConflictHandler: RxConflictHandler<ProjectDoc> = {
  isEqual(a, b) {
    if (Boolean(a._deleted) !== Boolean(b._deleted)) return false;
    return eventKey(a) === eventKey(b);
  },
  resolve(input) {
    const master = input.realMasterState;
    if (master._deleted || input.newDocumentState._deleted) return Promise.resolve(master);
    const local = withoutRefused(input.newDocumentState);
    const merged = mergeProjectDocs(master, local);
    return Promise.resolve({ ...merged, _deleted: false });
  },
};

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
    projects: { schema: projectCollectionSchema, conflictHandler: projectConflictHandler },
    projectRefusals: { schema: projectRefusalSchema },
  } as unknown as Parameters<AppDatabase['addCollections']>[0]);
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
