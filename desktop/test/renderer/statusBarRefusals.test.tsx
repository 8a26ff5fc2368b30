/**
 * The status bar's 被拒 badge counts every open refused write on this PC: a case's and a
 * project's (both listed in 被拒写入), not the ones the user acknowledged.
 */
import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { buildDemoProjects } from '@sibantong/shared';
import { SyncStatusBar } from '../../src/renderer/features/shell/SyncStatusBar';
import {
  addProjectCollections,
  recordProjectRefusal,
  requireProjectStore,
} from '../../src/renderer/db/projectsCollection';
import { recordRefusal } from '../../src/renderer/sync/pushHandler';
import { caseDoc } from './caseFixtures';
import { helper } from './caseHistory';
import { renderInApp, useTestDatabase } from './support/renderInApp';

const databases = useTestDatabase();

describe('status bar: refused writes', () => {
  it('counts open case and project refusals together, and drops an acknowledged one', async () => {
    const db = await addProjectCollections(await databases.open('dev-bar-refusals'));
    const store = requireProjectStore(db);
    await recordRefusal(db, caseDoc('c-refused'), 'CASE_NOT_HOLDER', '办件不在本单位', ['e1']);
    const [project] = buildDemoProjects('2026-12-02');
    await recordProjectRefusal(store, project!, 'PROJECT_NOT_MEMBER', '不是服务团队成员', ['p1']);
    await recordProjectRefusal(store, project!, 'PROJECT_NOT_MEMBER', '不是服务团队成员', ['p2']);
    renderInApp(<SyncStatusBar />, { db, user: helper });
    await waitFor(() => expect(screen.getByTestId('sync-refused').textContent).toBe('被拒 3'));

    // 知道了 on one project refusal (ProjectRefusalsCard): it no longer counts.
    const [first] = await store.projectRefusals.find().exec();
    await first!.incrementalPatch({ state: 'dismissed' });
    await waitFor(() => expect(screen.getByTestId('sync-refused').textContent).toBe('被拒 2'));
  });
});
