export * from './figureTypes.js';
export * from './figureRates.js';
export * from './periods.js';
export * from './figureSchemas.js';
export * from './caseListRow.js';
