/** How a device mints a new event for a project it holds (mirrors createEvent for cases). */
import { DomainError } from '../errors/domainError.js';
import type { Actor } from '../org/orgTypes.js';
import { projectDocOf } from './projectMerge.js';
import type {
  ProjectDoc,
  ProjectEvent,
  ProjectEventOf,
  ProjectEventPayloads,
  ProjectEventType,
} from './projectTypes.js';

export interface NewProjectEventInput<T extends ProjectEventType> {
  /** The history as this device knows it (empty for a new project). */
  projectEvents: readonly Pick<ProjectEvent, 'lamport' | 'projectId'>[];
  /** Required for the first event; otherwise taken from the history. */
  projectId?: string;
  type: T;
  payload: ProjectEventPayloads[T];
  actor: Actor;
  deviceId: string;
  /** The device's persistent, strictly increasing event counter. */
  counter: number;
  now: Date | string;
}

/** lamport = 1 + the highest seen; id = `${deviceId}:${counter}` (unique without coordination). */
export function createProjectEvent<T extends ProjectEventType>(
  input: NewProjectEventInput<T>,
): ProjectEventOf<T> {
  const projectId = input.projectId ?? input.projectEvents[0]?.projectId;
  if (projectId === undefined) {
    throw new DomainError('PROJECT_ID_MISSING', '新项目的第一个事件须指定项目编号');
  }
  const maxLamport = input.projectEvents.reduce((max, e) => Math.max(max, e.lamport), 0);
  return {
    id: `${input.deviceId}:${input.counter}`,
    projectId,
    type: input.type,
    lamport: maxLamport + 1,
    actor: { ...input.actor },
    deviceId: input.deviceId,
    deviceTime: typeof input.now === 'string' ? input.now : input.now.toISOString(),
    payload: input.payload,
  };
}

/**
 * The device's next version of a project: one more event on its local copy, derived fields
 * recomputed (what a client writes to its store and later pushes). `doc` is null for a new
 * project, whose first event must be `register`.
 */
export function appendProjectEvent<T extends ProjectEventType>(
  doc: ProjectDoc | null,
  input: Omit<NewProjectEventInput<T>, 'projectEvents'> & { projectId: string },
): ProjectDoc {
  const history = doc?.events ?? [];
  const event = createProjectEvent<T>({ ...input, projectEvents: history });
  const now = typeof input.now === 'string' ? input.now : input.now.toISOString();
  // A union of one generic event into the list: TypeScript cannot see ProjectEventOf<T> as a
  // member of the ProjectEvent union for an open T.
  return projectDocOf(input.projectId, [...history, event as unknown as ProjectEvent], now);
}
