/**
 * The stored document (schemas' MatterDoc) for a catalogue matter, so the hub can seed the
 * `matters` collection from DEMO_MATTERS. Fields the document has no place for
 * (pinyinInitials, level, implementingUnitId) are left out rather than failing validation.
 */
import type { ApplicantKind } from '../case/caseTypes.js';
import type { OrgUnit } from '../org/orgTypes.js';
import type { MatterDoc } from '../schemas/docTypes.js';
import type { Matter } from './catalogueTypes.js';

/** GB/T 39046 service-object codes: 1 natural person, 2 enterprise. */
const SERVICE_OBJECT_CODES: Readonly<Record<ApplicantKind, '1' | '2'>> = {
  person: '1',
  enterprise: '2',
};

export function matterToDoc(
  matter: Matter,
  updatedAt: string,
  units: readonly OrgUnit[] = [],
): MatterDoc {
  const uscc = units.find((u) => u.id === matter.implementingUnitId)?.uscc;
  const doc: MatterDoc = {
    id: matter.code,
    basicCode: matter.basicCode,
    name: matter.name,
    matterType: matter.matterType,
    exerciseLevel: matter.exerciseLevel,
    implementingBody: matter.implementingBodyName,
    legalDays: matter.legalDays,
    promisedDays: matter.promisedDays,
    caseType: matter.caseType,
    serviceObjects: matter.serviceObjects.map((kind) => SERVICE_OBJECT_CODES[kind]),
    villageMode: matter.villageMode,
    acceptanceConditions: matter.conditions,
    fees: matter.feeNote,
    materials: matter.materials.map(({ issuer, ...rest }) =>
      issuer === undefined ? rest : { ...rest, issuingBody: issuer },
    ),
    level: matter.level,
    implementingUnitId: matter.implementingUnitId,
    pinyinInitials: matter.pinyinInitials,
    active: true,
    updatedAt,
  };
  if (uscc !== undefined) doc.implementingBodyUscc = uscc;
  if (matter.forwardTo !== undefined) doc.targetLevel = matter.forwardTo;
  return doc;
}
