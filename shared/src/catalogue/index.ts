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
export { DEMO_MATTERS } from './demoMatters.js';
