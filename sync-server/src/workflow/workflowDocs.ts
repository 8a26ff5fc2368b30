/** Documents the workflow processor keeps in the hub's private `hub` database. */
export interface LeaseDoc {
  _id: string;
  _rev?: string;
  type: 'lease';
  holder: string;
  expiresAt: string;
}

export interface CheckpointDoc {
  _id: string;
  _rev?: string;
  type: 'checkpoint';
  seq: string;
  updatedAt: string;
}

export interface DeadLetterDoc {
  _id: string;
  _rev?: string;
  type: 'dead_letter';
  caseId: string;
  job: string;
  seq: string;
  code: string;
  message: string;
  attempts: number;
  firstAt: string;
  lastAt: string;
  resolved: boolean;
}

export interface CounterDoc {
  _id: string;
  _rev?: string;
  type: 'counter';
  last: number;
}

export interface ReservationDoc {
  _id: string;
  _rev?: string;
  type: 'official_no';
  caseId: string;
  officialNo: string;
}

export const LEASE_ID = 'lease:workflow';
export const CHECKPOINT_ID = 'checkpoint:workflow';
