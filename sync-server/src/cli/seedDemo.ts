/**
 * `sibantong-hub seed-demo [--history [--seed N] [--days D]]`: the demo county, catalogue,
 * calendar and one user per role per unit; with --history also months of past cases
 * (seed/historyPlan.ts), deterministic for a seed and a day.
 */
import {
  DEMO_COUNTY,
  DEMO_MATTERS,
  DEMO_USERS,
  DEMO_PASSWORD,
  matterToDoc,
} from '@sibantong/shared';
import { addUser } from '../auth/users.js';
import { hubNow, hubNowIso } from '../clock.js';
import { loadCountyKey } from '../atRest/countyKey.js';
import { RefData } from '../domain/refData.js';
import { DEFAULT_HISTORY } from '../seed/historyPlan.js';
import { writeHistory } from '../seed/writeHistory.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exitCodes.js';
import { helpFor } from './help.js';
import { seedCalendarsIfMissing } from '../seed/seedCalendars.js';
import { statusOf, withStoreRetry, type DbKey, type Store } from '../store/store.js';
import { emit } from './output.js';
import { limited } from '../store/limited.js';
import { withStore } from './withStore.js';
import { seedDemoProjects } from '../projects/seedProjects.js';

async function putIfMissing(
  store: Store,
  db: DbKey,
  doc: { id: string } & Record<string, unknown>,
): Promise<boolean> {
  try {
    await withStoreRetry(() => store.db(db).insert({ _id: doc.id, ...doc }));
    return true;
  } catch (err) {
    if (statusOf(err) === 409) return false;
    throw err;
  }
}

export async function seedDemo(args: string[], json: boolean): Promise<number> {
  const parsed = parseCommandArgs(args, {
    history: { type: 'boolean' },
    seed: { type: 'string' },
    days: { type: 'string' },
  });
  if (!parsed.ok) {
    console.error(`${parsed.problem}\n\n${helpFor('seed-demo')}`);
    return EXIT.USAGE;
  }
  const seed = Number(parsed.values.seed ?? DEFAULT_HISTORY.seed);
  const days = Number(parsed.values.days ?? DEFAULT_HISTORY.days);
  if (!Number.isInteger(seed) || seed < 0 || !Number.isInteger(days) || days < 1 || days > 730) {
    console.error(`--seed 须为非负整数，--days 须为 1–730 的整数\n\n${helpFor('seed-demo')}`);
    return EXIT.USAGE;
  }
  const withHistory = (parsed.values as Record<string, unknown>).history === true;
  return withStore(async (store) => {
    let units = 0;
    // A few writes at a time: each is one round trip; every write is insert-if-missing on its own
    // id, and each user's password hash runs on Node's thread pool, so order does not matter.
    await limited(
      8,
      DEMO_COUNTY.map((u) => async () => {
        if (await putIfMissing(store, 'orgUnits', { ...u })) units += 1;
      }),
    );
    let matters = 0;
    const now = hubNowIso();
    await limited(
      8,
      DEMO_MATTERS.map((m) => async () => {
        const doc = matterToDoc(m, now, DEMO_COUNTY) as unknown as { id: string } & Record<
          string,
          unknown
        >;
        if (await putIfMissing(store, 'matters', doc)) matters += 1;
      }),
    );
    await seedCalendarsIfMissing(store);
    let users = 0;
    await limited(
      8,
      DEMO_USERS.map((u) => async () => {
        const r = await addUser(
          store,
          {
            username: u.username,
            name: u.name,
            role: u.role,
            orgUnitId: u.orgUnitId,
            password: u.password,
          },
          { skipPolicy: true },
        );
        if (r === 'created') users += 1;
      }),
    );
    // Major projects (docs/projects.md): after the users, whose ids their events carry.
    await seedDemoProjects(store);
    // The demo county's past (docs/cockpit.md): after units, matters, calendar and users.
    const history = withHistory
      ? await writeHistory(
          store,
          await new RefData(store).get(),
          { ...DEFAULT_HISTORY, seed, days, nowMs: hubNow().getTime() },
          await loadCountyKey(store),
        )
      : null;
    emit(
      json,
      { units, matters, users, password: DEMO_PASSWORD, ...(history ? { history } : {}) },
      `演示数据已写入：单位 ${units}，事项 ${matters}，用户 ${users}（已存在的保持不变）。演示密码：${DEMO_PASSWORD}` +
        (history
          ? `\n演示历史：办件 ${history.cases}（已存在 ${history.kept}），差评整改工单 ${history.tickets}，督办记录 ${history.supervision}`
          : ''),
    );
    return 0;
  });
}
