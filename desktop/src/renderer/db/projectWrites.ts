import {
  appendProjectEvent,
  validateProjectDoc,
  validateProjectEvents,
  type ProjectDoc,
  type ProjectEventPayloads,
  type ProjectEventType,
} from '@sibantong/shared';
import type { AppDatabase } from './database';
import { LocalWriteRefused, nextCounter, type Writer } from './caseWrites';
import { loadReferenceData, orgDirectoryOf } from './localRules';
import { withoutLocalProjectFields } from './projectLocalFields';
import { requireProjectStore } from './projectsCollection';

/**
 * The one way project events are written on this device (mirrors caseWrites.ts). Before
 * anything is stored, the new version passes the checks the hub runs on push
 * (sync-server/src/projects/projectPush.ts): the shared project schema and
 * `validateProjectEvents` with the org tree and catalogue as this device has them, the
 * writing user and this device. What only the hub knows (the matter code of a case on the
 * hub) is checked there. A refusal throws LocalWriteRefused and nothing is stored.
 */
export type ProjectWriteVerdict =
  { ok: true; value: ProjectDoc } | { ok: false; code: string; messageZh: string };

export interface ProjectRules {
  org?: ReturnType<typeof orgDirectoryOf>;
  matterCodes?: ReadonlySet<string>;
}

/** The hub's verdict on a project write, computed here (pure). */
export function checkProjectWrite(
  before: ProjectDoc | null,
  after: ProjectDoc,
  rules: ProjectRules,
  writer: Writer,
): ProjectWriteVerdict {
  const shape = validateProjectDoc(after);
  if (!shape.ok) return { ok: false, code: 'PROJECT_SCHEMA_INVALID', messageZh: shape.messageZh };
  const verdict = validateProjectEvents(before?.events ?? [], after.events, {
    projectId: after.id,
    ...(rules.org ? { org: rules.org } : {}),
    ...(rules.matterCodes && rules.matterCodes.size > 0
      ? { matterInCatalogue: (code: string) => rules.matterCodes!.has(code) }
      : {}),
    pushedBy: writer.actor,
    deviceId: writer.deviceId,
  });
  if (!verdict.ok) return { ok: false, code: verdict.code, messageZh: verdict.messageZh };
  return { ok: true, value: after };
}

export async function localProjectRules(db: AppDatabase): Promise<ProjectRules> {
  const ref = await loadReferenceData(db);
  const codes = new Set<string>();
  for (const m of ref.matters) codes.add(typeof m.code === 'string' ? m.code : m.id);
  const org = orgDirectoryOf(ref.units);
  return { ...(org ? { org } : {}), matterCodes: codes };
}

/** A new project id, unique without coordination (device id + counter). */
export function newProjectId(deviceId: string): string {
  return `prj-${deviceId.toLowerCase()}-${nextCounter()}`;
}

/**
 * Appends one event to the project as it is stored at the moment of writing (a change that
 * arrived meanwhile is kept), after the hub's checks accept it. `projectId` of a project not
 * on this device starts a new one (its first event must be `register`).
 */
export async function writeProjectEvent<T extends ProjectEventType>(
  db: AppDatabase,
  projectId: string,
  type: T,
  payload: ProjectEventPayloads[T],
  writer: Writer,
  now: Date = new Date(),
): Promise<ProjectDoc> {
  const rules = await localProjectRules(db);
  const input = {
    projectId,
    type,
    payload,
    actor: {
      userId: writer.actor.userId,
      name: writer.actor.name,
      role: writer.actor.role,
      orgUnitId: writer.actor.orgUnitId,
    },
    deviceId: writer.deviceId,
    counter: nextCounter(),
    now,
  };
  const { projects } = requireProjectStore(db);
  const rx = await projects.findOne(projectId).exec();
  if (!rx) {
    const doc = appendProjectEvent<T>(null, input);
    refuse(checkProjectWrite(null, doc, rules, writer));
    await projects.insert(doc);
    return doc;
  }
  let written: ProjectDoc | null = null;
  await rx.incrementalModify((old) => {
    const current = plain(old as ProjectDoc);
    const next = appendProjectEvent<T>(current, input);
    refuse(checkProjectWrite(current, next, rules, writer));
    written = next;
    return next as typeof old;
  });
  return written ?? plain(rx.toJSON() as unknown as ProjectDoc);
}

function refuse(v: ProjectWriteVerdict): void {
  if (!v.ok) throw new LocalWriteRefused(v.code, v.messageZh);
}

/** The document without RxDB's meta fields (`_rev`, `_meta`, `_attachments`) and local ones. */
function plain(doc: ProjectDoc): ProjectDoc {
  const { _rev, _meta, _attachments, _deleted, ...rest } = doc as ProjectDoc &
    Record<string, unknown>;
  void _rev;
  void _meta;
  void _attachments;
  void _deleted;
  // The device's list fields are not the project's: the hub's checks never see them.
  return withoutLocalProjectFields(rest as unknown as ProjectDoc);
}
