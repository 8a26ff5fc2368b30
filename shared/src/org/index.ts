// Org tree lookups, case scope per role, and what an actor may do on a case.
export { createOrgDirectory, type OrgDirectory } from './orgDirectory.js';
export {
  canSee,
  caseInScope,
  caseScopeOf,
  departmentInvolved,
  type CaseScope,
  type ScopedCase,
} from './scope.js';
export { allowedActions, mayAct } from './permissions.js';
