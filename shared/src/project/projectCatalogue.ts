/**
 * Building the tailored approval list from the catalogue: a catalogue matter with its project
 * profile becomes an add_matter payload (stage, planned days = 承诺时限, prerequisites that are
 * on the list, 警示点, modes).
 */
import type { Matter } from '../catalogue/catalogueTypes.js';
import type { ProjectMatterProfile } from '../catalogue/demoProjectMatters.js';
import type { ProjectEventPayloads } from './projectTypes.js';

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
