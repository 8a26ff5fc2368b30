/** One validator per replicated collection, for the hub and for import tools. */
import type { CaseDoc } from '../case/caseTypes.js';
import type { CalendarYearTable } from '../calendar/calendarTypes.js';
import type { OrgUnit } from '../org/orgTypes.js';
import { calendarYearSchema } from './calendarYearSchema.js';
import { caseSchema } from './caseSchema.js';
import { matterSchema } from './matterSchema.js';
import { orgUnitSchema } from './orgUnitSchema.js';
import { makeDocValidator } from './schemaValidator.js';
import { supervisionSchema } from './supervisionSchema.js';
import { ticketSchema } from './ticketSchema.js';
import type { MatterDoc, SupervisionDoc, TicketDoc } from './docTypes.js';

export const validateCaseDoc = makeDocValidator<CaseDoc>(caseSchema, '办件');
export const validateMatterDoc = makeDocValidator<MatterDoc>(matterSchema, '事项');
export const validateOrgUnitDoc = makeDocValidator<OrgUnit>(orgUnitSchema, '组织单位');
export const validateCalendarYearDoc = makeDocValidator<CalendarYearTable & { id: string }>(
  calendarYearSchema,
  '年度日历',
);
export const validateTicketDoc = makeDocValidator<TicketDoc>(ticketSchema, '差评整改工单');
export const validateSupervisionDoc = makeDocValidator<SupervisionDoc>(
  supervisionSchema,
  '督办预警',
);
