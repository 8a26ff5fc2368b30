/** The county's units as IT names them on the command line: checked before anything is written. */
import type { OrgUnit } from '@sibantong/shared';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import { AdminInputError } from './adminInputError.js';

type UnitDoc = OrgUnit & { _id: string; _deleted?: boolean };

export async function findUnit(store: Store, id: string): Promise<OrgUnit | null> {
  try {
    const doc = await withStoreRetry(() => store.db<UnitDoc>('orgUnits').get(id));
    return doc._deleted ? null : doc;
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

export async function listUnits(store: Store): Promise<OrgUnit[]> {
  const res = await withStoreRetry(() =>
    store.db<UnitDoc>('orgUnits').list({ include_docs: true }),
  );
  return res.rows
    .map((r) => r.doc)
    .filter((d): d is UnitDoc & { _rev: string } => !!d && !d._id.startsWith('_design/'))
    .sort((a, b) => a.id.localeCompare(b.id));
}

export class UnknownUnitError extends AdminInputError {
  constructor(readonly unitId: string) {
    super(
      'UNIT_UNKNOWN',
      `单位不存在：${unitId}。可用的单位 ID 见 \`sibantong-hub units\`（若尚未导入单位，请先导入或运行 seed-demo）`,
    );
    this.name = 'UnknownUnitError';
  }
}

/** Throws UnknownUnitError for the first id that is not a unit of the county. */
export async function requireUnits(store: Store, ids: readonly string[]): Promise<void> {
  for (const id of ids) if (!(await findUnit(store, id))) throw new UnknownUnitError(id);
}
