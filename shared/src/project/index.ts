// Barrel of shared/src/project: major projects (重点项目代办) as event histories, their team
// and scope, the tailored approval list, progress from cases and the 倒排时间表. See docs/projects.md.
export * from './projectTypes.js';
export * from './projectErrors.js';
export { checkProjectCode, isValidProjectCode, normaliseProjectCode } from './projectCode.js';
export { initialProjectState, teamUserIds } from './projectState.js';
export type {
  ProjectLogEntry,
  ProjectMatter,
  ProjectPlanItem,
  ProjectState,
  VoidProjectEvent,
} from './projectState.js';
export {
  CENTRE_EVENT_TYPES,
  MEMBER_EVENT_TYPES,
  canSeeProject,
  checkProjectAuthority,
  checkRegisterSite,
  isActingMember,
  isCentreFor,
  mayActOnProject,
  projectAccess,
  type ProjectAccess,
  type ScopedProject,
} from './projectScope.js';
export {
  checkProjectPayload,
  dependencyRefusal,
  type ProjectMachineContext,
} from './projectPayloadChecks.js';
export {
  applyProjectEvent,
  dedupeProjectEvents,
  deriveProjectState,
  foldProjectEvent,
  isProjectEventType,
  judgeProjectEvent,
  projectFieldsOf,
  type DerivedProjectFields,
} from './projectMachine.js';
export {
  combineProjectEventCopies,
  compareProjectEvents,
  projectEventContentKey,
  sortProjectEvents,
} from './projectEventIdentity.js';
export { mergeProjectDocs, mergeProjectHistories, projectDocOf } from './projectMerge.js';
export {
  appendProjectEvent,
  createProjectEvent,
  type NewProjectEventInput,
} from './newProjectEvent.js';
export {
  validateProjectEvents,
  type ProjectEventsVerdict,
  type ProjectPushContext,
} from './validateProjectEvents.js';
export {
  PROJECT_PAYLOAD_SCHEMAS,
  projectEventSchema,
  projectSchema,
  validateProjectDoc,
} from './projectSchema.js';
export {
  dependencyOrder,
  reverseSchedule,
  type ScheduleInput,
  type ScheduleMatter,
  type ScheduleResult,
  type ScheduledMatter,
  type ScheduleWarning,
  type ScheduleWarningKind,
} from './reverseSchedule.js';
export {
  matterProgress,
  progressStage,
  projectProgress,
  projectSchedule,
  type LinkedCase,
  type MatterProgress,
  type MatterProgressStatus,
  type ProjectScheduleResult,
} from './projectProgress.js';
export { listedMatterPayload, matterModesAllowed } from './projectCatalogue.js';
export {
  planForWeek,
  weekOf,
  weeklyReport,
  type WeekPlan,
  type WeeklyReport,
} from './projectPlan.js';
export {
  AT_RISK_SLACK_DAYS,
  compareProjectRisk,
  PROJECT_RISK_LABELS_ZH,
  projectRisk,
  type ProjectRisk,
  type ProjectRiskLevel,
} from './projectRisk.js';
export {
  buildDemoProjects,
  demoActor,
  DEMO_PROJECT_IDS,
  type DemoActorLookup,
} from './demoProjects.js';
export * from './projectSync.js';
export * from './projectTeamCandidates.js';
export * from './projectSupervision.js';
