/** `sibantong-hub units`: the unit ids IT types in `device enroll --unit` and `user add --unit`. */
import { listUnits } from '../auth/units.js';
import { emit } from './output.js';
import { withStore } from './withStore.js';

const LEVEL: Readonly<Record<string, string>> = {
  county: '县',
  town: '乡镇/街道',
  village: '村/社区',
  department: '部门',
};

export async function unitsCommand(json: boolean): Promise<number> {
  return withStore(async (store) => {
    const units = await listUnits(store);
    emit(
      json,
      {
        units: units.map((u) => ({ id: u.id, name: u.name, level: u.level, parentId: u.parentId })),
      },
      units.length
        ? units
            .map((u) => `${u.id}\t${LEVEL[u.level] ?? u.level}\t${u.name}\t${u.parentId ?? ''}`)
            .join('\n')
        : '（尚无单位：请先导入单位或运行 seed-demo）',
    );
    return 0;
  });
}
