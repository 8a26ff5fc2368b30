import { deriveProjectState, type Actor, type CaseDoc, type ProjectDoc } from '@sibantong/shared';
import type { AppDatabase } from './database';
import { LocalWriteRefused, type Writer } from './caseWrites';
import { recordProjectRefusal, requireProjectStore } from './projectsCollection';
import { writeProjectEvent } from './projectWrites';

/**
 * "Matters become cases" (docs/projects.md): a team member applies a listed matter, the normal
 * case form opens with the matter chosen, and once the case is saved the project gets a
 * `link_case` event. The hub accepts that link only for a case it already holds (same matter
 * code, in the linker's scope), so the link is written when the case has reached the hub —
 * every event of the local copy stamped — not at once: written earlier, an offline PC would
 * push the link before the case and the hub would refuse it (PROJECT_CASE_UNKNOWN). Until
 * then the intent waits here, on this PC (localStorage, per device), and the matter shows
 * 待关联. Nothing of the case RxDB schema changes: the link lives on the project side.
 */
export interface PendingCaseLink {
  projectId: string;
  matterKey: string;
  caseId: string;
  /** Who applied: the link is recorded as theirs (a member of the team). */
  actor: Actor;
  deviceId: string;
  createdAt: string;
}

const keyOf = (deviceId: string) => `sibantong.projectCaseLinks.${deviceId}`;

function storage(): Storage | null {
  return typeof globalThis.localStorage === 'undefined' ? null : globalThis.localStorage;
}

export function pendingCaseLinks(deviceId: string): PendingCaseLink[] {
  const raw = storage()?.getItem(keyOf(deviceId));
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as PendingCaseLink[]) : [];
  } catch {
    return [];
  }
}

function savePending(deviceId: string, links: readonly PendingCaseLink[]): void {
  storage()?.setItem(keyOf(deviceId), JSON.stringify(links));
}

/** Records the intent to link a just-saved case to a listed matter of a project. */
export function requestCaseLink(
  link: Omit<PendingCaseLink, 'createdAt' | 'actor'> & { actor: Actor },
): void {
  const all = pendingCaseLinks(link.deviceId).filter((l) => l.caseId !== link.caseId);
  savePending(link.deviceId, [
    ...all,
    {
      ...link,
      actor: {
        userId: link.actor.userId,
        name: link.actor.name,
        role: link.actor.role,
        orgUnitId: link.actor.orgUnitId,
      },
      createdAt: new Date().toISOString(),
    },
  ]);
}

/** True once the hub holds every event of the local case (each carries the hub's time). */
export function caseOnHub(doc: Pick<CaseDoc, 'events'> | null): boolean {
  return (
    doc !== null && doc.events.length > 0 && doc.events.every((e) => typeof e.hubTime === 'string')
  );
}

let settling: Promise<number> | null = null;

/**
 * Writes the `link_case` of every pending link whose case has reached the hub; returns how
 * many were written. A link the rules refuse (the user left the team, the matter was taken
 * off the list) is dropped and kept visibly as a project refusal. Runs one pass at a time.
 */
export function settleCaseLinks(db: AppDatabase, deviceId: string): Promise<number> {
  settling ??= settleOnce(db, deviceId).finally(() => {
    settling = null;
  });
  return settling;
}

async function settleOnce(db: AppDatabase, deviceId: string): Promise<number> {
  const pending = pendingCaseLinks(deviceId);
  if (pending.length === 0) return 0;
  const store = requireProjectStore(db);
  let written = 0;
  const left: PendingCaseLink[] = [];
  for (const link of pending) {
    const rx = await db.cases.findOne(link.caseId).exec();
    const theCase = rx ? (rx.toJSON() as unknown as CaseDoc) : null;
    const project = await store.projects.findOne(link.projectId).exec();
    const doc = project ? (project.toJSON() as unknown as ProjectDoc) : null;
    const state = doc ? deriveProjectState(doc.events) : null;
    if (state?.matters.some((m) => m.caseIds.includes(link.caseId))) continue; // done already
    if (!caseOnHub(theCase) || !doc) {
      left.push(link);
      continue;
    }
    const writer: Writer = { actor: link.actor, deviceId: link.deviceId };
    try {
      await writeProjectEvent(
        db,
        link.projectId,
        'link_case',
        { matterKey: link.matterKey, caseId: link.caseId },
        writer,
      );
      written += 1;
    } catch (err) {
      if (!(err instanceof LocalWriteRefused)) {
        left.push(link); // storage trouble: try again on the next pass
        continue;
      }
      await recordProjectRefusal(store, doc, err.code, err.messageZh, [`link:${link.caseId}`]);
    }
  }
  savePending(deviceId, left);
  return written;
}
