/** The `supervision` collection: 预警 (due soon) and 督办 (overdue) records the hub issues. */
import { idString, isoDate, isoInstant } from './schemaParts.js';

export const supervisionSchema = {
  title: 'supervision',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'caseId', 'kind', 'dueDate', 'issuedAt', 'unitId', 'resolved'],
  properties: {
    id: idString,
    caseId: idString,
    kind: { type: 'string', enum: ['due_soon', 'overdue'], maxLength: 10 },
    dueDate: isoDate,
    issuedAt: isoInstant,
    /** Unit supervised: the holder when the warning was issued. */
    unitId: idString,
    resolved: { type: 'boolean' },
    note: { type: 'string', maxLength: 2000 },
    /** A major project's 督办 (shared/src/project/projectSupervision.ts): `caseId` is then the
     * matter's linked case, or the project's id when no case runs the matter. */
    projectId: idString,
    matterKey: idString,
    warning: { type: 'string', enum: ['start_overdue', 'finish_overdue', 'case_beyond_slot'] },
  },
  indexes: ['caseId', ['unitId', 'issuedAt'], 'issuedAt'],
} as const;
