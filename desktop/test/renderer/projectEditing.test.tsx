import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  buildDemoProjects,
  chinaDate,
  DEMO_COUNTY,
  DEMO_PROJECT_IDS,
  demoActor,
  deriveProjectState,
  SEED_CALENDAR_YEARS,
  type Actor,
  type ProjectDoc,
} from '@sibantong/shared';
import type { AppDatabase } from '../../src/renderer/db/database';
import {
  addProjectCollections,
  requireProjectStore,
} from '../../src/renderer/db/projectsCollection';
import { ProjectPage } from '../../src/renderer/features/projects/ProjectPage';
import { renderInApp, useTestDatabase } from './support/renderInApp';

/**
 * The centre's editing screens on the project page (审批事项清单's 编辑 / 移出 / 填写进度,
 * 设置目标日期, 修改项目信息) against a real RxDB holding the demo park: what each user is
 * offered, what is written, and what a refusal says.
 */
const PARK = DEMO_PROJECT_IDS[0];
const BUILDING_PLANNING = '010010040000'; // 建设工程规划许可证核发
const SOIL = '010100010000'; // 生产建设项目水土保持方案审批
const PERMIT = '010040010000'; // 建筑工程施工许可
const STABILITY = '100010010000'; // 重大项目社会稳定风险评估审查

const { open } = useTestDatabase();

async function showPark(user: Actor): Promise<AppDatabase> {
  const db = await open('dev-prj-edit', DEMO_COUNTY);
  await db.calendars.bulkInsert(SEED_CALENDAR_YEARS.map((t) => ({ id: String(t.year), ...t })));
  await addProjectCollections(db);
  const park = buildDemoProjects(chinaDate(new Date())).find((d) => d.id === PARK)!;
  await requireProjectStore(db).projects.insert(park);
  renderInApp(<ProjectPage projectId={PARK} />, { db, user, deviceId: 'dev-edit' });
  await screen.findByTestId('project-page');
  return db;
}

async function stored(db: AppDatabase): Promise<ProjectDoc> {
  const doc = await requireProjectStore(db).projects.findOne(PARK).exec();
  return doc!.toMutableJSON() as ProjectDoc;
}

function openMattersTab() {
  fireEvent.click(screen.getByRole('tab', { name: '审批事项清单' }));
}

function row(matterKey: string): HTMLElement {
  return document.querySelector(`tr[data-row-key="${matterKey}"]`)!;
}

/** Picks a prerequisite in the dialog's 前置事项 box by its name. */
async function pickPrerequisite(dialog: HTMLElement, name: string) {
  const input = within(within(dialog).getByTestId('matter-edit-deps')).getByRole('combobox');
  fireEvent.mouseDown(input);
  // Typed, as a user narrows the list (jsdom's virtual list shows its first items only).
  fireEvent.change(input, { target: { value: name.slice(0, 6) } });
  fireEvent.click(await screen.findByTitle(name));
}

describe('editing a project’s list and timetable', { timeout: 60_000 }, () => {
  it('refuses a prerequisite that closes a cycle with the rule’s message, writing nothing', async () => {
    const db = await showPark(demoActor('c.agent'));
    const before = (await stored(db)).events.length;
    openMattersTab();
    // 施工许可 needs 建设工程规划许可; make that one need 水保 first, then 水保 need 施工许可.
    fireEvent.click(await screen.findByTestId(`matter-edit-${BUILDING_PLANNING}`));
    const bp = await screen.findByTestId('matter-edit-dialog');
    await pickPrerequisite(bp, '生产建设项目水土保持方案审批');
    fireEvent.click(within(document.body).getByTestId('matter-edit-save'));
    await waitFor(async () =>
      expect(
        deriveProjectState((await stored(db)).events).matters.find(
          (m) => m.matterKey === BUILDING_PLANNING,
        )!.dependsOn,
      ).toContain(SOIL),
    );
    await waitFor(() => expect(screen.queryByTestId('matter-edit-dialog')).toBeNull());

    fireEvent.click(await screen.findByTestId(`matter-edit-${SOIL}`));
    const soil = await screen.findByTestId('matter-edit-dialog');
    await pickPrerequisite(soil, '建筑工程施工许可');
    const cycle = await within(soil).findByTestId('matter-edit-cycle');
    expect(cycle.textContent).toContain(
      '事项“生产建设项目水土保持方案审批”的前置关系会形成循环，请检查流程图',
    );
    expect(cycle.textContent).toContain('PROJECT_DEPENDENCY_CYCLE');
    expect(
      (screen.getByTestId('matter-edit-save') as HTMLButtonElement).disabled,
      'save disabled',
    ).toBe(true);
    expect((await stored(db)).events.length).toBe(before + 1);
  });

  it('writes only what changed: 容缺 taken off and the planned days, as two events', async () => {
    const db = await showPark(demoActor('c.agent'));
    const before = (await stored(db)).events.length;
    openMattersTab();
    expect(row(BUILDING_PLANNING).textContent).toContain('容缺受理');
    fireEvent.click(await screen.findByTestId(`matter-edit-${BUILDING_PLANNING}`));
    const dialog = await screen.findByTestId('matter-edit-dialog');
    // The matter's profile allows 模拟审批 and 容缺受理 only: 联合审批 is not offered.
    expect(within(dialog).queryByLabelText('联合审批')).toBeNull();
    fireEvent.click(within(dialog).getByLabelText('容缺受理'));
    const days = within(dialog).getByRole('spinbutton');
    fireEvent.change(days, { target: { value: '12' } });
    fireEvent.blur(days);
    fireEvent.click(screen.getByTestId('matter-edit-save'));
    // The dialog closes once every change is written.
    await waitFor(() => expect(screen.queryByTestId('matter-edit-dialog')).toBeNull());
    expect(row(BUILDING_PLANNING).textContent).not.toContain('容缺受理');
    const doc = await stored(db);
    expect(doc.events.slice(before).map((e) => e.type)).toEqual(['set_mode', 'set_duration']);
    const bp = deriveProjectState(doc.events).matters.find(
      (m) => m.matterKey === BUILDING_PLANNING,
    )!;
    expect(bp).toMatchObject({ modes: ['simulated'], durationDays: 12 });
    expect(row(BUILDING_PLANNING).textContent).toContain('12');
  });

  it('移出 asks for a reason and drops the matter; a wrong project code is refused in Chinese with its code', async () => {
    const db = await showPark(demoActor('c.agent'));
    openMattersTab();
    fireEvent.click(await screen.findByTestId(`matter-remove-${STABILITY}`));
    const reason = await screen.findByTestId(`matter-remove-reason-${STABILITY}`);
    const ok = () =>
      within(document.querySelector<HTMLElement>('.ant-popconfirm')!).getByRole('button', {
        name: /移\s*出/, // antd spaces a two-character label: 移 出
      });
    expect((ok() as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(reason, { target: { value: '项目不涉及征地拆迁' } });
    fireEvent.click(ok());
    await waitFor(() => expect(row(STABILITY)).toBeNull());
    const removed = (await stored(db)).events.at(-1)!;
    expect(removed).toMatchObject({
      type: 'remove_matter',
      payload: { matterKey: STABILITY, reason: '项目不涉及征地拆迁' },
    });

    fireEvent.click(screen.getByTestId('project-edit-info'));
    const dialog = await screen.findByTestId('info-dialog');
    fireEvent.change(within(dialog).getByTestId('info-code'), {
      target: { value: '2026-110000-34-03-080017' },
    });
    fireEvent.click(screen.getByTestId('info-save'));
    const refusal = await within(dialog).findByTestId('project-write-error');
    expect(refusal.textContent).toContain('PROJECT_CODE_INVALID');
    expect(refusal.textContent).toMatch(/[\u4e00-\u9fff]/);
    expect((await stored(db)).events.at(-1)!.id).toBe(removed.id);

    fireEvent.change(within(dialog).getByTestId('info-code'), {
      target: { value: '2026-330999-34-03-080099' },
    });
    fireEvent.click(screen.getByTestId('info-save'));
    await waitFor(() =>
      expect(screen.getByTestId('project-page').textContent).toContain('2026-330999-34-03-080099'),
    );
    expect((await stored(db)).events.at(-1)).toMatchObject({
      type: 'update_info',
      payload: { projectCode: '2026-330999-34-03-080099' },
    });
  });

  it('调整阶段/状态 writes only the status that changed, with its reason', async () => {
    const db = await showPark(demoActor('c.agent'));
    const before = (await stored(db)).events.length;
    fireEvent.click(screen.getByTestId('project-set-stage'));
    const dialog = await screen.findByTestId('stage-status-dialog');
    fireEvent.mouseDown(within(within(dialog).getByTestId('status-select')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('暂缓'));
    fireEvent.change(await within(dialog).findByTestId('status-reason'), {
      target: { value: '企业资金未到位' },
    });
    fireEvent.click(screen.getByTestId('stage-status-save'));
    await waitFor(() => expect(screen.getByTestId('project-status').textContent).toBe('暂缓'));
    const doc = await stored(db);
    expect(doc.events.slice(before)).toMatchObject([
      { type: 'set_status', payload: { status: 'paused', reason: '企业资金未到位' } },
    ]);
    expect(doc.status).toBe('paused');
  });

  it('a town lead in the team types the dates of a matter handled elsewhere, and edits nothing else', async () => {
    const db = await showPark(demoActor('t.dq'));
    expect(screen.queryByTestId('project-record-actions')).toBeNull();
    openMattersTab();
    await screen.findByTestId(`matter-type-progress-${PERMIT}`);
    expect(screen.queryByTestId(`matter-edit-${PERMIT}`)).toBeNull();
    expect(screen.queryByTestId(`matter-remove-${PERMIT}`)).toBeNull();
    fireEvent.click(screen.getByTestId(`matter-type-progress-${STABILITY}`));
    const dialog = await screen.findByTestId('matter-progress-dialog');
    const start = within(dialog).getAllByRole('textbox')[0]!;
    fireEvent.mouseDown(start);
    fireEvent.change(start, { target: { value: '2026-11-20' } });
    fireEvent.keyDown(start, { key: 'Enter', code: 'Enter' });
    fireEvent.change(within(dialog).getByTestId('matter-progress-note'), {
      target: { value: '市发改委组织评估' },
    });
    fireEvent.click(screen.getByTestId('matter-progress-save'));
    await waitFor(() =>
      expect(screen.getByTestId(`matter-dates-${STABILITY}`).textContent).toContain('2026-11-20'),
    );
    expect(screen.getByTestId(`matter-progress-${STABILITY}`).textContent).toBe('办理中');
    expect((await stored(db)).events.at(-1)).toMatchObject({
      type: 'set_matter_progress',
      actor: { userId: 'u-t.dq' },
      payload: { matterKey: STABILITY, startedOn: '2026-11-20', finishedOn: null },
    });
  });

  it('the leadership member reads: no write button on the project', async () => {
    await showPark(demoActor('sup'));
    expect(screen.queryByTestId('project-record-actions')).toBeNull();
    openMattersTab();
    await screen.findByTestId(`matter-progress-${PERMIT}`);
    expect(document.querySelector('[data-testid^=matter-edit-]')).toBeNull();
    expect(document.querySelector('[data-testid^=matter-type-progress-]')).toBeNull();
    expect(document.querySelector('[data-testid^=matter-remove-]')).toBeNull();
  });
});
