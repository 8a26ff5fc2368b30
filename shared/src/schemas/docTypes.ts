/**
 * TypeScript shapes of the documents whose schemas live here and whose types no other module
 * owns. Kept beside the schemas; the schema tests check a typed example against each.
 */
import type { RatingLevel } from '../case/caseTypes.js';
import type { Role } from '../org/orgTypes.js';
import type { CallBackResult, TICKET_STATUSES } from './ticketSchema.js';

export interface MatterMaterial {
  id: string;
  name: string;
  issuingBody?: string;
  originals: number;
  copies: number;
  form: 'paper' | 'electronic' | 'both';
  source: 'applicant' | 'government' | 'other';
  necessity: 'required' | 'optional' | 'deferrable';
  note?: string;
}

export type MatterType =
  '00' | '01' | '02' | '03' | '04' | '05' | '06' | '07' | '08' | '09' | '10' | '20';
export type VillageMode = 'direct_complete' | 'accept_and_forward' | 'assist' | 'inform_only';

export interface MatterDoc {
  /** 实施编码 (opaque, ≤ 50 chars). */
  id: string;
  basicCode: string;
  name: string;
  matterType: MatterType;
  exerciseLevel: '1' | '2' | '3' | '4' | '5' | '6' | '7';
  implementingBody: string;
  implementingBodyUscc?: string;
  legalDays: number;
  promisedDays: number;
  caseType: 'immediate' | 'promised';
  serviceObjects: ('1' | '2' | '3' | '4' | '5' | '6')[];
  villageMode: VillageMode;
  targetLevel?: 'town' | 'county';
  /** Level that completes the matter. */
  level?: 'village' | 'town' | 'county';
  /** Org unit that implements the matter (a department, town or the county centre). */
  implementingUnitId?: string;
  /** Pinyin initials of the name, for search by 拼音首字母 on the client. */
  pinyinInitials?: string;
  acceptanceConditions?: string;
  fees?: string;
  materials: MatterMaterial[];
  active: boolean;
  updatedAt: string;
}

export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketStep {
  status: TicketStatus;
  note: string;
  byUserId: string;
  byName: string;
  /** Roles that may record steps (shared/src/tickets/ticketMachine.ts). */
  byRole: Extract<Role, 'supervisor' | 'centre_agent'>;
  callBackResult?: CallBackResult;
  at: string;
}

export interface TicketDoc {
  id: string;
  caseId: string;
  ratingEventId: string;
  level: Extract<RatingLevel, 4 | 5>;
  status: TicketStatus;
  dueDate: string;
  createdAt: string;
  updatedAt: string;
  steps: TicketStep[];
}

export interface SupervisionDoc {
  id: string;
  caseId: string;
  kind: 'due_soon' | 'overdue';
  dueDate: string;
  issuedAt: string;
  unitId: string;
  resolved: boolean;
  note?: string;
}
