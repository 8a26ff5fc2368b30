/**
 * The hub's check of a project push: each event a device adds is judged at its place in the
 * merged (lamport, id) order and again in receipt order on the project as the hub holds it,
 * with the org tree and the hub's cases; it may not turn an event the hub holds as valid into
 * a void one.
 */
import type { Actor } from '../org/orgTypes.js';
import { projectRefusal, type ProjectRefusal } from './projectErrors.js';
import {
  compareProjectEvents,
  projectEventContentKey,
  sortProjectEvents,
} from './projectEventIdentity.js';
import {
  dedupeProjectEvents,
  deriveProjectState,
  foldProjectEvent,
  isProjectEventType,
} from './projectMachine.js';
import type { ProjectMachineContext } from './projectPayloadChecks.js';
import { initialProjectState, type ProjectState } from './projectState.js';
import type { ProjectEvent } from './projectTypes.js';

export interface ProjectPushContext extends ProjectMachineContext {
  projectId?: string;
  /** The signed-in user: every new event must be theirs. */
  pushedBy?: Pick<Actor, 'userId' | 'role' | 'orgUnitId'>;
  /** The device the push comes from: every new event must be minted by it. */
  deviceId?: string;
}

export type ProjectEventsVerdict =
  | { ok: true; value: { state: ProjectState; added: ProjectEvent[] } }
  | ({ ok: false; refusedEventIds: string[] } & ProjectRefusal);

function refuseFrom(
  problem: ProjectRefusal,
  failing: ProjectEvent,
  events: readonly ProjectEvent[],
): ProjectEventsVerdict {
  // Later events of the same push were written on top of the refused one: they go too.
  const refusedEventIds = events
    .filter((e) => compareProjectEvents(e, failing) >= 0)
    .map((e) => e.id);
  return { ok: false, ...problem, refusedEventIds };
}

function checkIdentity(
  event: ProjectEvent,
  known: ReadonlyMap<string, ProjectEvent>,
  ctx: ProjectPushContext,
): ProjectRefusal | null {
  if (!isProjectEventType(event.type)) {
    return projectRefusal(
      'PROJECT_UNKNOWN_EVENT_TYPE',
      `未知的项目事件类型：${String(event.type)}`,
    );
  }
  if (ctx.projectId !== undefined && event.projectId !== ctx.projectId) {
    return projectRefusal('PROJECT_ID_MISMATCH', '事件不属于本项目', {
      projectId: event.projectId,
    });
  }
  const existing = known.get(event.id);
  if (existing && projectEventContentKey(existing) !== projectEventContentKey(event)) {
    return projectRefusal('PROJECT_EVENT_ID_CONFLICT', '同一事件编号已有不同内容的记录', {
      eventId: event.id,
    });
  }
  if (existing) return null; // a resent copy: already judged when it first arrived
  const by = ctx.pushedBy;
  if (
    by &&
    (event.actor?.userId !== by.userId ||
      event.actor.role !== by.role ||
      event.actor.orgUnitId !== by.orgUnitId)
  ) {
    return projectRefusal('PROJECT_ACTOR_MISMATCH', '只能提交本人记录的项目事件', {
      eventId: event.id,
    });
  }
  if (ctx.deviceId !== undefined && event.deviceId !== ctx.deviceId) {
    return projectRefusal('PROJECT_ACTOR_MISMATCH', '只能提交本设备记录的项目事件', {
      eventId: event.id,
    });
  }
  return null;
}

export function validateProjectEvents(
  existingEvents: readonly ProjectEvent[],
  newEvents: readonly ProjectEvent[],
  ctx: ProjectPushContext = {},
): ProjectEventsVerdict {
  const existing = dedupeProjectEvents(existingEvents);
  const known = new Map(existing.map((e) => [e.id, e]));
  const incoming = sortProjectEvents(newEvents);
  const added: ProjectEvent[] = [];
  const seen = new Map<string, ProjectEvent>();
  for (const event of incoming) {
    const problem = checkIdentity(event, known, ctx);
    if (problem) return refuseFrom(problem, event, incoming);
    const twin = seen.get(event.id);
    if (twin && projectEventContentKey(twin) !== projectEventContentKey(event)) {
      return refuseFrom(
        projectRefusal('PROJECT_EVENT_ID_CONFLICT', '同一次提交中同一事件编号有不同内容', {
          eventId: event.id,
        }),
        event,
        incoming,
      );
    }
    seen.set(event.id, event);
    if (!known.has(event.id) && !twin) added.push(event);
  }

  const voidBefore = new Set(deriveProjectState(existing).voidEvents.map((v) => v.eventId));
  const addedIds = new Set(added.map((e) => e.id));
  let state = initialProjectState();
  for (const event of sortProjectEvents([...existing, ...added])) {
    if (addedIds.has(event.id)) {
      const next = foldProjectEvent(state, event, ctx);
      const voided = next.voidEvents.find((v) => v.eventId === event.id);
      if (voided) {
        return refuseFrom(
          projectRefusal(voided.code as ProjectRefusal['code'], voided.messageZh, {
            eventId: event.id,
          }),
          event,
          added,
        );
      }
      state = next;
    } else {
      state = foldProjectEvent(state, event);
      if (!voidBefore.has(event.id) && state.voidEvents.some((v) => v.eventId === event.id)) {
        const culprit = added.find((c) => compareProjectEvents(c, event) < 0) ?? added[0];
        if (culprit) {
          return refuseFrom(
            projectRefusal(
              'PROJECT_HISTORY_CONFLICT',
              '提交的项目事件与他人已记录的操作冲突，请刷新后重新办理',
              { eventId: culprit.id, conflictsWith: event.id },
            ),
            culprit,
            added,
          );
        }
      }
    }
  }
  // Judged again in receipt order, on the project as the hub holds it now: a device may not
  // back-date an event (a low lamport) to slip it before what the hub already knows, e.g.
  // typed dates before the link of the matter's case, or a log before its author left the team.
  // The stored history was judged when it arrived; only the new events meet the context.
  let receipt = deriveProjectState(existing);
  for (const event of added) {
    const next = foldProjectEvent(receipt, event, ctx);
    const voided = next.voidEvents.find((v) => v.eventId === event.id);
    if (voided) {
      return refuseFrom(
        projectRefusal(voided.code as ProjectRefusal['code'], voided.messageZh, {
          eventId: event.id,
        }),
        event,
        added,
      );
    }
    receipt = next;
  }
  return { ok: true, value: { state, added } };
}
