/**
 * Wire types of the supervisor's hub routes (docs/sync-protocol.md): recording a 差评
 * follow-up step and reading the writes the hub refused. Online only: these are hub-side
 * records, not case events, so they are never queued on a device.
 */
import type { Role } from '../org/orgTypes.js';
import type { TicketDoc } from '../schemas/docTypes.js';
import type { TicketStepInput } from '../tickets/ticketMachine.js';

/** POST /api/tickets/:id/steps — body. The actor is the caller; the time is the hub's. */
export type TicketStepRequest = TicketStepInput;

/** POST /api/tickets/:id/steps — answer: the updated ticket (it also arrives by pull). */
export interface TicketStepResponse {
  ticket: TicketDoc;
}

/**
 * One pushed row the hub refused, as the hub recorded it. Deliberately without applicant
 * identity (name, ID number, phone): the supervisor needs who/where/why, not whom.
 */
export interface RefusalRecord {
  id: string;
  caseId: string;
  provisionalNo: string;
  userId: string;
  userName: string;
  role: Role;
  deviceId: string;
  /** The name IT gave the PC at enrolment (answered by the hub; absent for an unknown id). */
  deviceName?: string;
  unitId: string;
  code: string;
  message: string;
  refusedEventIds: string[];
  /** Types of the refused events as pushed (a malformed row may name unknown types). */
  refusedEventTypes: string[];
  hubTime: string;
}

/** GET /api/refusals?limit=<n>&before=<cursor> — newest first. */
export interface RefusalsResponse {
  refusals: RefusalRecord[];
  /** Cursor for the next (older) page; null on the last page. */
  next: string | null;
}
