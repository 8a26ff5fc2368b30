/** Actors of the demo county and a small project history, built with the shared event code. */
import { DEMO_COUNTY } from '../../src/catalogue/demoCounty.js';
import { createOrgDirectory } from '../../src/org/orgDirectory.js';
import type { Actor } from '../../src/org/orgTypes.js';
import { createProjectEvent } from '../../src/project/newProjectEvent.js';
import type {
  ProjectEvent,
  ProjectEventPayloads,
  ProjectEventType,
  TeamMember,
} from '../../src/project/projectTypes.js';
import { usccCheckChar } from '../../src/identity/uscc.js';

export const org = createOrgDirectory(DEMO_COUNTY);
export const PROJECT_ID = 'project-test-1';

export const centre: Actor = {
  userId: 'u-c.agent',
  name: '周丽娟',
  role: 'centre_agent',
  orgUnitId: 'county-sx',
};
export const centre2: Actor = {
  userId: 'u-c.agent2',
  name: '钱多',
  role: 'centre_agent',
  orgUnitId: 'county-sx',
};
export const sup: Actor = {
  userId: 'u-sup',
  name: '黄文斌',
  role: 'supervisor',
  orgUnitId: 'county-sx',
};
export const townDq: Actor = {
  userId: 'u-t.dq',
  name: '赵敏',
  role: 'town_lead',
  orgUnitId: 'town-dq',
};
export const townXh: Actor = {
  userId: 'u-t.xh',
  name: '孙伟',
  role: 'town_lead',
  orgUnitId: 'town-xh',
};
export const villageDq01: Actor = {
  userId: 'u-v.dq01',
  name: '李秀英',
  role: 'village_helper',
  orgUnitId: 'village-dq-01',
};
export const villageDq02: Actor = {
  userId: 'u-v.dq02',
  name: '王建国',
  role: 'village_helper',
  orgUnitId: 'village-dq-02',
};
export const villageXh01: Actor = {
  userId: 'u-v.xh01',
  name: '刘海燕',
  role: 'village_helper',
  orgUnitId: 'village-xh-01',
};
export const deptZrzy: Actor = {
  userId: 'u-d.zrzy',
  name: '吴国平',
  role: 'dept_assistant',
  orgUnitId: 'dept-zrzy',
};
export const deptZj: Actor = {
  userId: 'u-d.zj',
  name: '郑晓东',
  role: 'dept_assistant',
  orgUnitId: 'dept-zj',
};
export const it: Actor = { userId: 'u-it', name: '林涛', role: 'it_admin', orgUnitId: 'county-sx' };

export const asMember = (a: Actor): TeamMember => ({
  userId: a.userId,
  name: a.name,
  role: a.role,
  orgUnitId: a.orgUnitId,
});

export const OWNER_USCC = (() => {
  const first17 = '91330999MA2DQ7701';
  return first17 + usccCheckChar(first17);
})();

/** Appends events the way one device does: lamport above everything it has seen. */
export class Device {
  private counter = 0;
  constructor(
    readonly deviceId: string,
    readonly actor: Actor,
    public history: ProjectEvent[] = [],
  ) {}

  write<T extends ProjectEventType>(
    type: T,
    payload: ProjectEventPayloads[T],
    at = '2026-03-02T02:00:00.000Z',
  ): ProjectEvent {
    this.counter += 1;
    const event = createProjectEvent<T>({
      projectEvents: this.history,
      projectId: PROJECT_ID,
      type,
      payload,
      actor: this.actor,
      deviceId: this.deviceId,
      counter: this.counter,
      now: at,
    }) as unknown as ProjectEvent;
    this.history = [...this.history, event];
    return event;
  }
}

export const REGISTER: ProjectEventPayloads['register'] = {
  name: '测试产业园',
  projectCode: null,
  owner: {
    name: '示县测试科技有限公司',
    uscc: OWNER_USCC,
    contactName: '钱志远',
    contactPhone: '13905760101',
  },
  siteUnitId: 'village-dq-01',
  siteAddress: '东桥村 3 号地块',
  category: 'industrial',
  investmentWan: 12000,
  targets: { startDate: '2026-10-12', completionDate: null },
  stage: 'land_planning',
};

export const matter = (
  matterKey: string,
  dependsOn: string[] = [],
  durationDays = 5,
): ProjectEventPayloads['add_matter'] => ({
  matterKey,
  matterCode: `CODE-${matterKey}`,
  name: `事项${matterKey}`,
  stage: 'land_planning',
  durationDays,
  dependsOn,
  modes: [],
  warningZh: '',
});

/** Registered by the village helper; team and two matters set by the centre. */
export function baseHistory(): ProjectEvent[] {
  const v = new Device('dev-v', villageDq01);
  v.write('register', REGISTER, '2026-03-01T02:00:00.000Z');
  const c = new Device('dev-c', centre, v.history);
  c.write('set_team', {
    leader: asMember(sup),
    lead: asMember(centre),
    members: [townDq, villageDq01, deptZrzy].map(asMember),
  });
  c.write('add_matter', matter('A'));
  c.write('add_matter', matter('B', ['A']));
  return c.history;
}
