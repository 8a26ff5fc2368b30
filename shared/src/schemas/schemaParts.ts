/** Building blocks shared by the document schemas (JSON Schema draft-07). */

/** Ids, codes and names used as keys: RxDB needs a maxLength on every indexed string. */
export const idString = { type: 'string', minLength: 1, maxLength: 100 } as const;
export const text = { type: 'string', maxLength: 2000 } as const;
export const requiredText = { type: 'string', minLength: 1, maxLength: 2000 } as const;
export const isoDate = {
  type: 'string',
  maxLength: 10,
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
} as const;
/** ISO instant, e.g. 2026-03-02T08:15:00.000Z or with an offset. */
export const isoInstant = {
  type: 'string',
  maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
} as const;
export const count = { type: 'integer', minimum: 0, maximum: 10000 } as const;

export const actorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'name', 'role', 'orgUnitId'],
  properties: {
    userId: idString,
    name: requiredText,
    role: {
      type: 'string',
      enum: [
        'village_helper',
        'town_lead',
        'centre_agent',
        'dept_assistant',
        'supervisor',
        'it_admin',
      ],
    },
    orgUnitId: idString,
  },
} as const;

export const materialReceiptSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['materialId', 'name', 'originals', 'copies', 'missing'],
  properties: {
    materialId: idString,
    name: requiredText,
    originals: count,
    copies: count,
    missing: { type: 'boolean' },
    deferred: { type: 'boolean' },
    note: text,
  },
} as const;

export const materialReceiptList = {
  type: 'array',
  maxItems: 200,
  items: materialReceiptSchema,
} as const;
