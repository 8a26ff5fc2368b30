/**
 * POST /api/sync/projects/push — one answer per row, in order; a refused row never blocks the
 * rows after it. Each row: shape (shared JSON schema) → scope of the stored project → the
 * shared project rules, judged against the project as the hub holds it at receipt, with the
 * org tree and the hub's own cases → hub time stamped on the new events → union merge. The
 * derived fields a client sends are never trusted: the hub recomputes them from the events.
 *
 * Idempotent: re-pushing events the hub already holds adds nothing and is answered accepted.
 * A write that loses a race (409) is redone from the newly stored project.
 */
import {
  deriveProjectState,
  mergeProjectHistories,
  projectAccess,
  projectDocOf,
  validateProjectDoc,
  validateProjectEvents,
  type ProjectDoc,
  type ProjectEvent,
  type ProjectPushRow,
  type ProjectPushRowResult,
} from '@sibantong/shared/project/index';
import { canSee, type CaseDoc } from '@sibantong/shared';
import type { AuthContext } from '../auth/session.js';
import { hubNowIso } from '../clock.js';
import type { RefSnapshot } from '../domain/refData.js';
import { toClientDoc } from '../sync/pullHandler.js';
import { isStoreDown, statusOf, withStoreRetry, type Store } from '../store/store.js';
import { projectsDb } from './projectsDb.js';
import { superviseProjects } from './projectWarnings.js';

type StoredProject = ProjectDoc & { _id: string; _rev?: string };

const MAX_WRITE_ATTEMPTS = 5;

export const PROJECT_PUSH_MESSAGES = {
  PROJECT_SCHEMA_INVALID: '项目数据格式不正确',
  PROJECT_DELETE_FORBIDDEN: '项目不能删除，如需终止请将项目状态改为已终止',
  PROJECT_OUT_OF_SCOPE: '您无权查看或修改该项目',
  PROJECT_ROW_UNPROCESSABLE: '中心暂时无法处理该项目，请稍后重试',
  PROJECT_WRITE_CONTENTION: '项目正被频繁更新，请稍后重试',
} as const;

function refused(
  id: string,
  code: string,
  message: string,
  master: ProjectDoc | null,
  refusedEventIds: string[] = [],
): ProjectPushRowResult {
  return { id, status: 'refused', code, message, master, refusedEventIds };
}

const rowId = (row: ProjectPushRow): string => {
  const raw = row.newDocumentState as unknown as Record<string, unknown> | null;
  return typeof raw?.id === 'string' ? raw.id : '';
};

async function loadProject(store: Store, id: string): Promise<StoredProject | null> {
  const { db } = await projectsDb<StoredProject>(store);
  try {
    const doc = await withStoreRetry(() => db.get(id));
    return (doc as { _deleted?: boolean })._deleted ? null : doc;
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

/**
 * Matter codes of the cases the new events link, read from the hub's cases (one request).
 * Only cases the pusher may see count: a case outside their scope is answered as unknown, so
 * a link neither reveals nor borrows someone else's case.
 */
async function linkedCaseCodes(
  store: Store,
  org: RefSnapshot['org'],
  actor: AuthContext['user'],
  events: readonly ProjectEvent[],
): Promise<Map<string, string>> {
  const ids = [
    ...new Set(events.flatMap((e) => (e.type === 'link_case' ? [e.payload.caseId] : []))),
  ];
  const codes = new Map<string, string>();
  if (ids.length === 0) return codes;
  const body = await withStoreRetry(() =>
    store.db<CaseDoc>('cases').fetch({ keys: ids }, { include_docs: true }),
  );
  for (const row of body.rows) {
    const doc = 'doc' in row ? (row.doc as (CaseDoc & { _deleted?: boolean }) | null) : null;
    if (!doc || doc._deleted || typeof doc.matterCode !== 'string') continue;
    if (canSee(actor, doc, org)) codes.set(row.key, doc.matterCode);
  }
  return codes;
}

interface RowOutcome {
  result: ProjectPushRowResult;
  write?: StoredProject;
}

async function evaluateRow(
  store: Store,
  ref: RefSnapshot,
  ctx: AuthContext,
  row: ProjectPushRow,
  master: StoredProject | null,
): Promise<RowOutcome> {
  const doc = row.newDocumentState;
  const masterClient = master ? toClientDoc<ProjectDoc>(master) : null;
  const known = new Set((master?.events ?? []).map((e) => e.id));
  const added = doc.events.filter((e) => !known.has(e.id));
  // Scope first: a caller outside the project learns nothing of it, not even which rule broke.
  if (master && projectAccess(ctx.user, deriveProjectState(master.events), ref.org) === 'none') {
    return {
      result: refused(
        doc.id,
        'PROJECT_OUT_OF_SCOPE',
        PROJECT_PUSH_MESSAGES.PROJECT_OUT_OF_SCOPE,
        null,
        added.map((e) => e.id),
      ),
    };
  }
  const caseCodes = await linkedCaseCodes(store, ref.org, ctx.user, added);
  // Every pushed event is offered: resent copies are ignored, altered copies refused.
  const verdict = validateProjectEvents(master?.events ?? [], doc.events, {
    projectId: doc.id,
    org: ref.org,
    pushedBy: ctx.user,
    deviceId: ctx.deviceId,
    caseMatterCode: (caseId) => caseCodes.get(caseId),
    matterInCatalogue: (code) => ref.matters.has(code),
  });
  if (!verdict.ok) {
    return {
      result: refused(
        doc.id,
        verdict.code,
        verdict.messageZh,
        masterClient,
        verdict.refusedEventIds,
      ),
    };
  }
  if (verdict.value.added.length === 0 && masterClient) {
    return { result: { id: doc.id, status: 'accepted', document: masterClient } };
  }
  const now = hubNowIso();
  const stamped = verdict.value.added.map((e) => ({ ...e, hubTime: now }) as ProjectEvent);
  const next = projectDocOf(doc.id, mergeProjectHistories(master?.events ?? [], stamped), now);
  const stored: StoredProject = {
    ...next,
    _id: next.id,
    ...(master?._rev ? { _rev: master._rev } : {}),
  };
  return { result: { id: doc.id, status: 'accepted', document: next }, write: stored };
}

/** Validates and writes one row, redoing it on a lost write race. */
async function pushRow(
  store: Store,
  ref: RefSnapshot,
  ctx: AuthContext,
  row: ProjectPushRow,
): Promise<ProjectPushRowResult> {
  const id = rowId(row);
  const raw = row.newDocumentState as unknown as Record<string, unknown> | null;
  if (raw && raw._deleted === true) {
    return refused(
      id,
      'PROJECT_DELETE_FORBIDDEN',
      PROJECT_PUSH_MESSAGES.PROJECT_DELETE_FORBIDDEN,
      null,
    );
  }
  const shape = validateProjectDoc(raw);
  if (!shape.ok) {
    return refused(
      id,
      'PROJECT_SCHEMA_INVALID',
      `${PROJECT_PUSH_MESSAGES.PROJECT_SCHEMA_INVALID}：${shape.messageZh}`,
      null,
    );
  }
  const { db } = await projectsDb<StoredProject>(store);
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    const master = await loadProject(store, id);
    const outcome = await evaluateRow(
      store,
      ref,
      ctx,
      { ...row, newDocumentState: shape.value },
      master,
    );
    if (!outcome.write) return outcome.result;
    try {
      await withStoreRetry(() => db.insert(outcome.write!));
      // The timetable may have changed (a start, a link, a new target): 督办 records follow.
      // Their failure never undoes the accepted write; the periodic scan catches up.
      await superviseProjects(store, ref, [outcome.write]).catch((err: unknown) => {
        console.error('project supervision after push failed', err);
      });
      return outcome.result;
    } catch (err) {
      // 409: someone wrote the project meanwhile; judge the row again against their version.
      if (statusOf(err) !== 409) throw err;
    }
  }
  const master = await loadProject(store, id);
  return refused(
    id,
    'PROJECT_WRITE_CONTENTION',
    PROJECT_PUSH_MESSAGES.PROJECT_WRITE_CONTENTION,
    master ? toClientDoc<ProjectDoc>(master) : null,
  );
}

export async function pushProjectRows(
  store: Store,
  ref: RefSnapshot,
  ctx: AuthContext,
  rows: readonly ProjectPushRow[],
): Promise<ProjectPushRowResult[]> {
  const results: ProjectPushRowResult[] = [];
  for (const row of rows) {
    try {
      results.push(await pushRow(store, ref, ctx, row));
    } catch (err) {
      // Only a store outage fails the request (503, the client retries); anything else is
      // this row's answer.
      if (isStoreDown(err)) throw err;
      console.error('project push row failed', err);
      results.push(
        refused(
          rowId(row),
          'PROJECT_ROW_UNPROCESSABLE',
          PROJECT_PUSH_MESSAGES.PROJECT_ROW_UNPROCESSABLE,
          null,
        ),
      );
    }
  }
  return results;
}
