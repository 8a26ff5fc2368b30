/**
 * Types of the generated compiledValidators.js (shared/scripts/compileSchemas.ts): one
 * standalone Ajv validator per schema, compiled ahead of time.
 */
import type { ErrorObject } from 'ajv';

export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export declare const caseDoc: CompiledValidator;
export declare const matterDoc: CompiledValidator;
export declare const orgUnitDoc: CompiledValidator;
export declare const calendarYearDoc: CompiledValidator;
export declare const ticketDoc: CompiledValidator;
export declare const supervisionDoc: CompiledValidator;
export declare const projectDoc: CompiledValidator;
export declare const ratingRequest: CompiledValidator;
export declare const ratingSubmission: CompiledValidator;
export declare const attachmentMeta: CompiledValidator;
export declare const figuresResponse: CompiledValidator;
export declare const figureCasesResponse: CompiledValidator;
export declare const supervisionLedgerResponse: CompiledValidator;
