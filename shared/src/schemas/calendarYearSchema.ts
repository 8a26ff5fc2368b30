/** The `calendars` collection: one year's official holiday and make-up working-day table. */
import { isoDate } from './schemaParts.js';

const calendarDay = {
  type: 'object',
  additionalProperties: false,
  required: ['date', 'name'],
  properties: { date: isoDate, name: { type: 'string', minLength: 1, maxLength: 20 } },
} as const;

export const calendarYearSchema = {
  title: 'calendarYear',
  description: '国务院办公厅公布的年度放假调休安排; id is the year as a string',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'year', 'holidays', 'workdays'],
  properties: {
    id: { type: 'string', pattern: '^\\d{4}$', maxLength: 4 },
    year: { type: 'integer', minimum: 2000, maximum: 2100 },
    holidays: { type: 'array', maxItems: 60, items: calendarDay },
    workdays: { type: 'array', maxItems: 20, items: calendarDay },
  },
} as const;
