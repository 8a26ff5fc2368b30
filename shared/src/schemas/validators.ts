/** One validator per replicated collection, for the hub and for import tools. */
import type { CaseDoc } from '../case/caseTypes.js';
import type { CalendarYearTable } from '../calendar/calendarTypes.js';
import type { OrgUnit } from '../org/orgTypes.js';
import { makeDocValidator } from './schemaValidator.js';
import * as compiled from './compiledValidators.js';
import type { MatterDoc, SupervisionDoc, TicketDoc } from './docTypes.js';

export const validateCaseDoc = makeDocValidator<CaseDoc>(compiled.caseDoc, '办件');
export const validateMatterDoc = makeDocValidator<MatterDoc>(compiled.matterDoc, '事项');
export const validateOrgUnitDoc = makeDocValidator<OrgUnit>(compiled.orgUnitDoc, '组织单位');
export const validateCalendarYearDoc = makeDocValidator<CalendarYearTable & { id: string }>(
  compiled.calendarYearDoc,
  '年度日历',
);
export const validateTicketDoc = makeDocValidator<TicketDoc>(compiled.ticketDoc, '差评整改工单');
export const validateSupervisionDoc = makeDocValidator<SupervisionDoc>(
  compiled.supervisionDoc,
  '督办预警',
);
