import { useMemo } from 'react';
import {
  availableActions,
  chinaDate,
  createOrgDirectory,
  deriveCaseState,
  type ActionOffer,
  type CaseDoc,
  type CaseState,
  type SessionUser,
} from '@sibantong/shared';
import type { OrgIndex } from '../../hooks/useReference';
import { FORM_ACTIONS } from './eventPayload';

export interface CaseOffers {
  state: CaseState;
  /** Actions with a form on this screen: enabled, or disabled with the reason. */
  offers: ActionOffer[];
  /** 好差评, offered when the rules allow it: the citizen rates on their own screen. */
  rateOffer: ActionOffer | null;
}

/** The case's derived state and what the shared rules offer this user on it today. */
export function useCaseOffers(doc: CaseDoc, user: SessionUser, org: OrgIndex): CaseOffers {
  return useMemo(() => {
    const state = deriveCaseState(doc.events);
    const units = [...org.byId.values()];
    // Without the org tree (first start, not yet synced) nothing can be checked: offer nothing.
    const all =
      units.length === 0
        ? []
        : availableActions({
            state,
            actor: {
              userId: user.userId,
              name: user.name,
              role: user.role,
              orgUnitId: user.orgUnitId,
            },
            org: createOrgDirectory(units),
            today: chinaDate(new Date()),
            where: { caseOriginUnitId: doc.originUnitId, caseFormerUnitIds: doc.formerUnitIds },
          });
    const offers = all.filter((o) => FORM_ACTIONS.has(o.type));
    const rateOffer = all.find((o) => o.type === 'rate') ?? null;
    return { state, offers, rateOffer };
  }, [doc.events, doc.originUnitId, doc.formerUnitIds, user, org]);
}
