/** What each legal event does to the state. Judging legality is not this module's job. */
import type { CaseEvent, MaterialReceipt } from './caseTypes.js';
import type { CaseState } from './caseState.js';

function eventTime(event: CaseEvent): string {
  return event.hubTime ?? event.deviceTime;
}

function mergeMaterials(
  current: MaterialReceipt[],
  lines: readonly MaterialReceipt[],
): MaterialReceipt[] {
  const next = [...current];
  for (const line of lines) {
    const at = next.findIndex((existing) => existing.materialId === line.materialId);
    if (at === -1) next.push({ ...line });
    else next[at] = { ...line };
  }
  return next;
}

function handOver(state: CaseState, toUnitId: string): CaseState {
  if (state.holderUnitId === toUnitId) return state;
  return {
    ...state,
    previousHolderUnitIds:
      state.holderUnitId === null
        ? state.previousHolderUnitIds
        : [...state.previousHolderUnitIds, state.holderUnitId],
    holderUnitId: toUnitId,
    handlerUserId: null,
  };
}

/** Work has begun on an accepted case: `accepted` becomes `processing`. */
function startWork(state: CaseState): CaseState {
  const active =
    state.status === 'accepted' ||
    state.status === 'accepted_deferred' ||
    state.status === 'processing';
  if (!active) return state;
  return {
    ...state,
    workStarted: true,
    status: state.status === 'accepted' ? 'processing' : state.status,
  };
}

/** The effect of an event already judged legal. */
export function reduceEvent(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'receive':
      return {
        ...state,
        caseId: event.caseId,
        status: 'received',
        matterCode: event.payload.matterCode,
        provisionalNo: event.payload.provisionalNo,
        originUnitId: event.actor.orgUnitId,
        holderUnitId: event.actor.orgUnitId,
        materials: mergeMaterials([], event.payload.materials),
      };
    case 'inform_missing':
      return {
        ...state,
        status: 'correction_required',
        materials: mergeMaterials(
          state.materials,
          event.payload.items.map((item) => {
            const known = state.materials.find((line) => line.materialId === item.materialId);
            return {
              ...(known ?? {
                materialId: item.materialId,
                name: item.name,
                originals: 0,
                copies: 0,
              }),
              missing: true,
              note: item.problem,
            };
          }),
        ),
      };
    case 'supplement': {
      const supplied = new Set(
        event.payload.materials.filter((line) => !line.missing).map((line) => line.materialId),
      );
      const materials = mergeMaterials(state.materials, event.payload.materials);
      let next: CaseState = { ...state, materials };
      if (state.status === 'correction_required') next = { ...next, status: 'received' };
      // Deferred items are ticked off directly, or under a suspension (then the status to
      // resume to moves on instead), so a supplement and a suspension commute.
      const suspended = state.status === 'suspended';
      if (state.deferred && (state.status === 'accepted_deferred' || suspended)) {
        const outstanding = state.deferred.materialIds.filter((id) => !supplied.has(id));
        if (outstanding.length > 0) {
          next = { ...next, deferred: { ...state.deferred, materialIds: outstanding } };
        } else {
          const afterDeferred = state.workStarted ? 'processing' : 'accepted';
          next = { ...next, deferred: null };
          if (state.status === 'accepted_deferred') next = { ...next, status: afterDeferred };
          if (suspended && state.statusBeforeSuspend === 'accepted_deferred') {
            next = { ...next, statusBeforeSuspend: afterDeferred };
          }
        }
      }
      return next;
    }
    case 'accept': {
      const deferred = event.payload.deferred;
      const at = eventTime(event);
      if (!deferred) return { ...state, status: 'accepted', acceptedAt: at, deferred: null };
      const deferredIds = new Set(deferred.materialIds);
      return {
        ...state,
        status: 'accepted_deferred',
        acceptedAt: at,
        deferred: {
          materialIds: [...deferred.materialIds],
          dueDate: deferred.dueDate,
          acceptEventId: event.id,
        },
        materials: state.materials.map((line) =>
          deferredIds.has(line.materialId) ? { ...line, missing: true, deferred: true } : line,
        ),
      };
    }
    case 'refuse':
      return { ...state, status: 'not_accepted' };
    case 'forward':
    case 'escalate': {
      const moved = handOver(state, event.payload.toUnitId);
      return { ...moved, materials: mergeMaterials(moved.materials, event.payload.materials) };
    }
    case 'claim':
      return { ...startWork(state), handlerUserId: event.actor.userId };
    case 'assign':
      return { ...startWork(state), handlerUserId: event.payload.toUserId };
    case 'request_assistance': {
      const union = (list: string[]) => [
        ...list,
        ...event.payload.departmentIds.filter((id) => !list.includes(id)),
      ];
      const started = startWork(state);
      return {
        ...started,
        assistingDeptIds: union(started.assistingDeptIds),
        requestedDeptIds: union(started.requestedDeptIds),
      };
    }
    case 'assistance_reply':
      return {
        ...state,
        assistingDeptIds: state.assistingDeptIds.filter((id) => id !== event.payload.departmentId),
      };
    case 'return_for_correction': {
      const moved = handOver(state, event.payload.toUnitId);
      return state.status === 'received' ? { ...moved, status: 'correction_required' } : moved;
    }
    case 'suspend':
      return {
        ...state,
        statusBeforeSuspend: state.status,
        status: 'suspended',
        suspensions: [
          ...state.suspensions,
          {
            suspendEventId: event.id,
            resumeEventId: null,
            kind: event.payload.kind,
            reason: event.payload.reason,
            startedAt: eventTime(event),
            endedAt: null,
          },
        ],
      };
    case 'resume':
      return {
        ...state,
        status: state.statusBeforeSuspend ?? 'processing',
        statusBeforeSuspend: null,
        suspensions: state.suspensions.map((period) =>
          period.resumeEventId === null
            ? { ...period, resumeEventId: event.id, endedAt: eventTime(event) }
            : period,
        ),
      };
    case 'extend':
      return { ...state, extensionDaysTotal: state.extensionDaysTotal + event.payload.extraDays };
    case 'conclude': {
      const p = event.payload;
      const deliverAtUnitId = p.deliverAtUnitId ?? state.originUnitId ?? '';
      const conclusion = {
        eventId: event.id,
        outcome: p.outcome,
        opinion: p.opinion,
        handlerUserId: event.actor.userId,
        at: eventTime(event),
        deliverAtUnitId,
        ...(p.resultName === undefined ? {} : { resultName: p.resultName }),
        ...(p.resultNo === undefined ? {} : { resultNo: p.resultNo }),
        ...(p.validUntil === undefined ? {} : { validUntil: p.validUntil }),
      };
      // Results flow back to the window where the applicant collects them.
      return {
        ...handOver(state, deliverAtUnitId),
        status: p.outcome === 'approved' ? 'concluded_approved' : 'concluded_denied',
        conclusion,
      };
    }
    case 'deliver_result':
      return { ...state, status: 'result_delivered', deliveredAt: eventTime(event) };
    case 'rate': {
      const p = event.payload;
      return {
        ...state,
        status: 'evaluated',
        rating: {
          eventId: event.id,
          level: p.level,
          realName: p.realName === true,
          channel: p.channel,
          at: eventTime(event),
          ...(p.text === undefined ? {} : { text: p.text }),
        },
      };
    }
    case 'withdraw':
      return { ...state, status: 'withdrawn' };
    case 'terminate':
      return { ...state, status: 'terminated' };
    case 'log':
      return state;
  }
}
