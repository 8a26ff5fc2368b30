/** Completes a catalogue entry with what is derived from it: implementation code, initials. */
import { DomainError } from '../errors/domainError.js';
import type { OrgUnit } from '../org/orgTypes.js';
import type { ExerciseLevel, Matter } from './catalogueTypes.js';
import { pinyinInitials } from './pinyinInitials.js';

export type MatterSpec = Omit<Matter, 'code' | 'pinyinInitials'>;

/** 实施编码 as live catalogues build it: implementing body's USCC + exercise level + basic code. */
export function implementationCode(
  uscc: string,
  exerciseLevel: ExerciseLevel,
  basicCode: string,
): string {
  return `${uscc}${exerciseLevel}${basicCode}`;
}

export function defineMatter(spec: MatterSpec, units: readonly OrgUnit[]): Matter {
  const unit = units.find((u) => u.id === spec.implementingUnitId);
  if (unit?.uscc === undefined) {
    throw new DomainError(
      'CATALOGUE_INVALID',
      `事项“${spec.name}”的实施单位 ${spec.implementingUnitId} 不存在或缺少统一社会信用代码`,
    );
  }
  return {
    ...spec,
    code: implementationCode(unit.uscc, spec.exerciseLevel, spec.basicCode),
    pinyinInitials: pinyinInitials(spec.name),
  };
}
