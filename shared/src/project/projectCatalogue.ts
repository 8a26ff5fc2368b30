/**
 * Building the tailored approval list from the catalogue: a catalogue matter with its project
 * profile becomes an add_matter payload (stage, planned days = 承诺时限, prerequisites that are
 * on the list, 警示点, modes).
 */
import type { Matter } from '../catalogue/catalogueTypes.js';
import {
  projectMatterProfile,
  type ProjectMatterProfile,
} from '../catalogue/demoProjectMatters.js';
import type { ProjectMatter } from './projectState.js';
import { MATTER_MODES, type MatterMode, type ProjectEventPayloads } from './projectTypes.js';

export function listedMatterPayload(
  matter: Matter,
  profile: ProjectMatterProfile,
  listedKeys: ReadonlySet<string>,
): ProjectEventPayloads['add_matter'] {
  return {
    matterKey: matter.basicCode,
    matterCode: matter.code,
    name: matter.name,
    stage: profile.stage,
    // 即办 matters still take a working day at the window.
    durationDays: Math.max(1, matter.promisedDays),
    dependsOn: profile.prerequisites.filter((code) => listedKeys.has(code)),
    modes: [...profile.modes],
    warningZh: profile.warningZh,
  };
}

/**
 * The 办理方式 a listed matter may be marked with: those its catalogue profile says apply
 * (every mode for a matter without a profile), plus any it carries already so a mark is never
 * dropped unseen. In MATTER_MODES order.
 */
export function matterModesAllowed(
  matter: Pick<ProjectMatter, 'matterKey' | 'modes'>,
): MatterMode[] {
  const profile = projectMatterProfile(matter.matterKey);
  const allowed = new Set<MatterMode>([
    ...(profile ? profile.modes : MATTER_MODES),
    ...matter.modes,
  ]);
  return MATTER_MODES.filter((m) => allowed.has(m));
}
