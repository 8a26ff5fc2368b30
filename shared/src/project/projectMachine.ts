/**
 * Folds a project's events, in (lamport, id) order, into ProjectState. Folding is total: an
 * event illegal at its place (two offline edits raced) stays in the history and is listed as
 * void, never thrown, so every replica derives the same state from the same events.
 */
import { ENVELOPE_PROBLEM_MESSAGES_ZH, envelopeProblem } from '../events/eventEnvelope.js';
import type { Actor } from '../org/orgTypes.js';
import { projectRefusal, type ProjectRefusal, type ProjectResult } from './projectErrors.js';
import { combineProjectEventCopies, sortProjectEvents } from './projectEventIdentity.js';
import { checkProjectPayload, type ProjectMachineContext } from './projectPayloadChecks.js';
import { checkProjectAuthority } from './projectScope.js';
import { initialProjectState, teamUserIds, type ProjectState } from './projectState.js';
import {
  PROJECT_EVENT_TYPES,
  type ProjectDoc,
  type ProjectEvent,
  type ProjectEventType,
} from './projectTypes.js';

export function isProjectEventType(value: unknown): value is ProjectEventType {
  return typeof value === 'string' && (PROJECT_EVENT_TYPES as readonly string[]).includes(value);
}

function checkEnvelope(state: ProjectState, event: ProjectEvent): ProjectRefusal | null {
  const problem = envelopeProblem(event);
  if (problem)
    return projectRefusal('PROJECT_INVALID_EVENT', ENVELOPE_PROBLEM_MESSAGES_ZH[problem]);
  if (!isProjectEventType(event.type)) {
    return projectRefusal(
      'PROJECT_UNKNOWN_EVENT_TYPE',
      `未知的项目事件类型：${String(event.type)}`,
    );
  }
  if (state.projectId !== null && event.projectId !== state.projectId) {
    return projectRefusal('PROJECT_ID_MISMATCH', '事件不属于本项目', {
      projectId: event.projectId,
    });
  }
  if (state.info === null && event.type !== 'register') {
    return projectRefusal('PROJECT_REGISTER_NOT_FIRST', '项目的第一个事件必须是项目登记');
  }
  return null;
}

export function judgeProjectEvent(
  state: ProjectState,
  event: ProjectEvent,
  ctx: ProjectMachineContext = {},
): ProjectRefusal | null {
  return (
    checkEnvelope(state, event) ??
    checkProjectAuthority(state, event.type, event.actor, ctx.org) ??
    checkProjectPayload(event, state, ctx)
  );
}

function withMatter(
  state: ProjectState,
  key: string,
  change: (m: ProjectState['matters'][number]) => ProjectState['matters'][number],
): ProjectState {
  return {
    ...state,
    matters: state.matters.map((m) => (m.matterKey === key ? change(m) : m)),
  };
}

const actorCopy = (actor: Actor): Actor => ({ ...actor });

/** Applies a judged event; the payload is trusted here. */
function reduceProjectEvent(state: ProjectState, event: ProjectEvent): ProjectState {
  switch (event.type) {
    case 'register': {
      const { targets, stage, ...info } = event.payload;
      return {
        ...state,
        projectId: event.projectId,
        info: { ...info, owner: { ...info.owner } },
        targets: { ...targets },
        stage,
        registeredBy: actorCopy(event.actor),
      };
    }
    case 'update_info':
      return {
        ...state,
        info: { ...state.info!, ...event.payload },
      };
    case 'set_team': {
      const p = event.payload;
      const team = {
        leader: p.leader ? { ...p.leader } : null,
        lead: { ...p.lead },
        members: p.members.map((m) => ({ ...m })),
      };
      const former = new Set([...state.formerMemberIds, ...teamUserIds(team)]);
      return { ...state, team, formerMemberIds: [...former].sort() };
    }
    case 'add_matter': {
      const p = event.payload;
      return {
        ...state,
        matters: [
          ...state.matters,
          {
            matterKey: p.matterKey,
            matterCode: p.matterCode,
            name: p.name,
            stage: p.stage,
            durationDays: p.durationDays,
            dependsOn: [...new Set(p.dependsOn)],
            modes: [...new Set(p.modes)],
            warningZh: p.warningZh,
            caseIds: [],
            manualProgress: null,
          },
        ],
      };
    }
    case 'remove_matter': {
      const key = event.payload.matterKey;
      // Edges into the removed matter go with it: the flow chart stays a graph of listed matters.
      return {
        ...state,
        matters: state.matters
          .filter((m) => m.matterKey !== key)
          .map((m) =>
            m.dependsOn.includes(key)
              ? { ...m, dependsOn: m.dependsOn.filter((d) => d !== key) }
              : m,
          ),
      };
    }
    case 'set_dependency':
      return withMatter(state, event.payload.matterKey, (m) => ({
        ...m,
        dependsOn: [...new Set(event.payload.dependsOn)],
      }));
    case 'set_mode':
      return withMatter(state, event.payload.matterKey, (m) => ({
        ...m,
        modes: [...new Set(event.payload.modes)],
      }));
    case 'set_duration':
      return withMatter(state, event.payload.matterKey, (m) => ({
        ...m,
        durationDays: event.payload.durationDays,
      }));
    case 'set_target':
      return { ...state, targets: { ...event.payload } };
    case 'set_stage':
      return { ...state, stage: event.payload.stage };
    case 'set_status':
      return { ...state, status: event.payload.status };
    case 'set_matter_progress':
      return withMatter(state, event.payload.matterKey, (m) => ({
        ...m,
        manualProgress: {
          startedOn: event.payload.startedOn,
          finishedOn: event.payload.finishedOn,
        },
      }));
    case 'link_case':
      return withMatter(state, event.payload.matterKey, (m) => ({
        ...m,
        caseIds: [...m.caseIds, event.payload.caseId],
      }));
    case 'log_entry': {
      const p = event.payload;
      return {
        ...state,
        log: [
          ...state.log,
          {
            eventId: event.id,
            date: p.date,
            matterKey: p.matterKey,
            done: p.done,
            problem: p.problem ?? null,
            nextStep: p.nextStep ?? null,
            by: actorCopy(event.actor),
            deviceTime: event.deviceTime,
          },
        ],
      };
    }
    case 'plan_item': {
      const p = event.payload;
      return {
        ...state,
        plan: [
          ...state.plan,
          {
            itemId: p.itemId,
            weekOf: p.weekOf,
            text: p.text,
            matterKey: p.matterKey,
            responsibleUserId: p.responsibleUserId,
            responsibleName: p.responsibleName,
            dueDate: p.dueDate,
            by: actorCopy(event.actor),
            review: null,
          },
        ],
      };
    }
    case 'plan_review': {
      const p = event.payload;
      return {
        ...state,
        plan: state.plan.map((i) =>
          i.itemId === p.itemId
            ? {
                ...i,
                review: { outcome: p.outcome, note: p.note ?? null, by: actorCopy(event.actor) },
              }
            : i,
        ),
      };
    }
  }
}

export function applyProjectEvent(
  state: ProjectState,
  event: ProjectEvent,
  ctx: ProjectMachineContext = {},
): ProjectResult<ProjectState> {
  const problem = judgeProjectEvent(state, event, ctx);
  if (problem) return { ok: false, ...problem };
  const next = reduceProjectEvent(state, event);
  return {
    ok: true,
    value: {
      ...next,
      appliedEventIds: [...state.appliedEventIds, event.id],
      maxLamport: Math.max(state.maxLamport, event.lamport),
    },
  };
}

function markVoid(state: ProjectState, event: ProjectEvent, problem: ProjectRefusal): ProjectState {
  const lamport =
    typeof event.lamport === 'number' && Number.isFinite(event.lamport) ? event.lamport : 0;
  return {
    ...state,
    voidEvents: [
      ...state.voidEvents,
      { eventId: String(event.id), code: problem.code, messageZh: problem.messageZh },
    ],
    maxLamport: Math.max(state.maxLamport, lamport),
  };
}

/** Folds one event, voiding it instead of failing. */
export function foldProjectEvent(
  state: ProjectState,
  event: ProjectEvent,
  ctx: ProjectMachineContext = {},
): ProjectState {
  try {
    const result = applyProjectEvent(state, event, ctx);
    return result.ok ? result.value : markVoid(state, event, result);
  } catch {
    // Malformed JSON from a foreign replica must not stop derivation of the whole project.
    return markVoid(state, event, projectRefusal('PROJECT_INVALID_EVENT', '事件格式无法识别'));
  }
}

/** Same id twice: keep one copy, chosen as the merge would. Sorted in (lamport, id) order. */
export function dedupeProjectEvents(events: readonly ProjectEvent[]): ProjectEvent[] {
  const byId = new Map<string, ProjectEvent>();
  for (const event of events) {
    const seen = byId.get(event.id);
    byId.set(event.id, seen ? combineProjectEventCopies(seen, event) : event);
  }
  return sortProjectEvents([...byId.values()]);
}

/** Derives the state; the order of `events` does not matter. */
export function deriveProjectState(
  events: readonly ProjectEvent[],
  ctx: ProjectMachineContext = {},
): ProjectState {
  return dedupeProjectEvents(events).reduce(
    (state, event) => foldProjectEvent(state, event, ctx),
    initialProjectState(),
  );
}

export type DerivedProjectFields = Pick<
  ProjectDoc,
  | 'name'
  | 'projectCode'
  | 'category'
  | 'stage'
  | 'status'
  | 'siteUnitId'
  | 'teamUserIds'
  | 'formerMemberIds'
>;

/** The derived fields of a ProjectDoc; null for a history without a valid register. */
export function projectFieldsOf(state: ProjectState): DerivedProjectFields | null {
  if (state.info === null) return null;
  return {
    name: state.info.name,
    projectCode: state.info.projectCode,
    category: state.info.category,
    stage: state.stage,
    status: state.status,
    siteUnitId: state.info.siteUnitId,
    teamUserIds: teamUserIds(state.team),
    formerMemberIds: [...state.formerMemberIds],
  };
}
