// Barrel of shared/src/catalogue: matter catalogue types, search, demo county and catalogue.
export {
  EXERCISE_LEVEL_LABELS_ZH,
  EXERCISE_LEVELS,
  MATTER_LEVEL_LABELS_ZH,
  MATTER_TYPE_LABELS_ZH,
  MATTER_TYPES,
  VILLAGE_MODE_LABELS_ZH,
} from './catalogueTypes.js';
export type {
  ExerciseLevel,
  Matter,
  MatterCaseType,
  MatterLevel,
  CatalogueMaterial,
  MatterTypeCode,
  MatterVillageMode,
} from './catalogueTypes.js';
export { defineMatter, implementationCode } from './defineMatter.js';
export type { MatterSpec } from './defineMatter.js';
export { pinyinInitials } from './pinyinInitials.js';
export { searchMatters, type SearchableMatter } from './searchMatters.js';
export { matterToDoc } from './matterToDoc.js';
export { DEMO_COUNTY, DEMO_PASSWORD, DEMO_USERS } from './demoCounty.js';
export type { DemoUser } from './demoCounty.js';
// DEMO_MATTERS is the whole demo catalogue, 工程建设项目 matters included.
export {
  DEMO_MATTERS_WITH_PROJECTS as DEMO_MATTERS,
  DEMO_PROJECT_NEW_MATTERS,
  PROJECT_MATTER_PROFILES,
  projectMatterProfile,
} from './demoProjectMatters.js';
export type { ProjectMatterProfile } from './demoProjectMatters.js';
