import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, closeDropdown, openCase, type Client } from '../support/browser';
import { DEMO_ID, startWorld, type World, signedInClient } from '../support/fixture';
import { fillAcceptForm } from '../support/villageUi';

describe('journey 2: village and town edit the same case while both offline', () => {
  let w: World;
  let village: Client;
  let town: Client;
  let no = '';

  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('both edits survive the reconnection on both devices', async () => {
    village = await signedInClient(w, 'village-dq-01', '东桥村便民服务点', 'v.dq01');
    const v = village.page;
    await fillAcceptForm(v, {
      matterQuery: '宅基地',
      name: '钱七',
      idNumber: DEMO_ID,
      phone: '13812345678',
      deferMaterialId: 'building-design',
      commitmentDate: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10),
    });
    await v.click('[data-testid=submit-accept]');
    await v.waitForSelector('[data-testid=accept-done]');
    no = (await v.locator('[data-testid=saved-no]').textContent()) ?? '';
    await expect
      .poll(() => v.locator('[data-testid=sync-pending]').textContent(), { timeout: 30_000 })
      .toBe('待上传 0 件');

    town = await signedInClient(w, 'town-dq', '东桥镇便民服务中心', 't.dq');
    const t = town.page;
    await openCase(t, no);
    await act(t, 'claim');
    await expect
      .poll(() => t.locator('[data-testid=sync-pending]').textContent(), { timeout: 30_000 })
      .toBe('待上传 0 件');
    await openCase(v, no);
    await expect
      .poll(() => v.locator('[data-testid=timeline-item][data-event-type=claim]').count(), {
        timeout: 20_000,
      })
      .toBe(1);

    await village.context.setOffline(true);
    await town.context.setOffline(true);
    await act(v, 'supplement', async (pg) => {
      await pg.locator('.ant-modal:visible .ant-select').click();
      await pg.keyboard.type('农房设计图');
      await pg.keyboard.press('Enter');
      await closeDropdown(pg);
    });
    await act(t, 'log', (pg) =>
      pg.locator('.ant-modal:visible #text').fill('已电话联系申请人核实宅基地位置'),
    );
    await village.context.setOffline(false);
    await town.context.setOffline(false);

    for (const p of [v, t]) {
      await expect
        .poll(() => p.locator('[data-testid=timeline-item][data-event-type=supplement]').count(), {
          timeout: 30_000,
        })
        .toBe(1);
      await expect
        .poll(() => p.locator('[data-testid=timeline-item][data-event-type=log]').count(), {
          timeout: 30_000,
        })
        .toBe(1);
      await expect
        .poll(() => p.locator('[data-testid=sync-pending]').textContent(), { timeout: 30_000 })
        .toBe('待上传 0 件');
      await expect
        .poll(() => p.locator('[data-testid=detail-status]').textContent(), { timeout: 30_000 })
        .toBe('办理中');
    }
    expect(await v.locator('[data-testid=sync-refused]').textContent()).toBe('被拒 0');
    expect(await t.locator('[data-testid=sync-refused]').textContent()).toBe('被拒 0');
    expect([...village.errors, ...town.errors]).toEqual([]);
  });
});
