/** `sibantong-hub seed-demo`: the demo county, catalogue, calendar and one user per role per unit. */
import {
  DEMO_COUNTY,
  DEMO_MATTERS,
  DEMO_USERS,
  DEMO_PASSWORD,
  matterToDoc,
} from '@sibantong/shared';
import { addUser } from '../auth/users.js';
import { hubNowIso } from '../clock.js';
import { seedCalendarsIfMissing } from '../seed/seedCalendars.js';
import { statusOf, withStoreRetry, type DbKey, type Store } from '../store/store.js';
import { emit } from './output.js';
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

export async function seedDemo(json: boolean): Promise<number> {
  return withStore(async (store) => {
    let units = 0;
    for (const u of DEMO_COUNTY) if (await putIfMissing(store, 'orgUnits', { ...u })) units += 1;
    let matters = 0;
    const now = hubNowIso();
    for (const m of DEMO_MATTERS) {
      const doc = matterToDoc(m, now, DEMO_COUNTY) as unknown as { id: string } & Record<
        string,
        unknown
      >;
      if (await putIfMissing(store, 'matters', doc)) matters += 1;
    }
    await seedCalendarsIfMissing(store);
    let users = 0;
    for (const u of DEMO_USERS) {
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
    }
    // Major projects (docs/projects.md): after the users, whose ids their events carry.
    await seedDemoProjects(store);
    emit(
      json,
      { units, matters, users, password: DEMO_PASSWORD },
      `演示数据已写入：单位 ${units}，事项 ${matters}，用户 ${users}（已存在的保持不变）。演示密码：${DEMO_PASSWORD}`,
    );
    return 0;
  });
}
