// Public surface of @sibantong/shared. Each area has one module per job; see docs/domain-model.md.
export * from './errors/domainError.js';
export * from './org/orgTypes.js';
export * from './case/caseTypes.js';
export * from './sync/syncProtocol.js';
export * from './sync/authProtocol.js';
export * from './case/index.js';
export * from './org/index.js';
export * from './schemas/index.js';
export * from './calendar/index.js';
export * from './deadlines/index.js';
export * from './identity/index.js';
export * from './catalogue/index.js';
export * from './numbering/index.js';
export * from './tickets/index.js';
export * from './sync/supervisorApi.js';
export * from './project/index.js';
export * from './it/itConsole.js';
