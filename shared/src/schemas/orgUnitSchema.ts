/** The `orgUnits` collection: the county's org tree (see org/orgTypes.ts OrgUnit). */
import { idString } from './schemaParts.js';

export const orgUnitSchema = {
  title: 'orgUnit',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'level', 'parentId', 'pointCode'],
  properties: {
    id: idString,
    name: { type: 'string', minLength: 1, maxLength: 100 },
    level: { type: 'string', enum: ['county', 'town', 'village', 'department'], maxLength: 10 },
    parentId: { type: ['string', 'null'], maxLength: 100 },
    uscc: { type: 'string', pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' },
    divisionCode: { type: 'string', pattern: '^\\d{6}(\\d{6})?$' },
    pointCode: { type: 'string', pattern: '^[A-Z0-9]{2,6}$' },
  },
  indexes: ['level'],
} as const;
