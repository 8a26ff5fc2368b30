import { screen, waitFor } from '@testing-library/react';
import { expect } from 'vitest';
import {
  createEvent,
  deriveCaseFields,
  type Actor,
  type CaseDoc,
  type CaseEvent,
  type CaseEventType,
  type EventPayloads,
  type OrgUnit,
} from '@sibantong/shared';
import { caseDoc } from './caseFixtures';

/** A real county, real histories and the jsdom bits antd's dialogs need, for screen tests. */
export const UNITS: OrgUnit[] = [
  { id: 'c1', name: '山县政务服务中心', level: 'county', parentId: null, pointCode: 'SX' },
  { id: 't1', name: '东桥镇', level: 'town', parentId: 'c1', pointCode: 'DQ' },
  { id: 'v1', name: '东桥一村', level: 'village', parentId: 't1', pointCode: 'DQ01' },
];
export const helper: Actor = {
  userId: 'vh',
  name: '王帮办',
  role: 'village_helper',
  orgUnitId: 'v1',
};
export const lead: Actor = { userId: 'tl', name: '李镇长', role: 'town_lead', orgUnitId: 't1' };

/** The open dialog that shows `text` (closed antd dialogs linger in jsdom, without motion). */
export async function dialogWith(text: string): Promise<HTMLElement> {
  let found: HTMLElement | undefined;
  await waitFor(
    () => {
      found = screen.queryAllByRole('dialog').find((d) => d.textContent?.includes(text));
      expect(found).toBeDefined();
    },
    { timeout: 10_000 },
  );
  return found!;
}

export const disabled = (el: HTMLElement) => (el as HTMLButtonElement).disabled;

/** A real history, minted by the shared createEvent as devices do. */
export class History {
  events: CaseEvent[] = [];
  private n = 0;
  constructor(private clock = Date.parse('2026-11-02T01:00:00.000Z')) {}
  add<T extends CaseEventType>(by: Actor, type: T, payload: EventPayloads[T], at?: string): this {
    this.n += 1;
    this.clock += 60_000;
    this.events.push(
      createEvent({
        caseId: 'k1',
        caseEvents: this.events,
        type,
        payload,
        actor: by,
        deviceId: `dev-${by.userId}`,
        counter: this.n,
        now: at ?? new Date(this.clock),
      }) as CaseEvent,
    );
    return this;
  }
  doc(over: Partial<CaseDoc> = {}): CaseDoc {
    const hubbed = this.events.map((e) => ({ ...e, hubTime: e.deviceTime }));
    return caseDoc('k1', {
      events: hubbed,
      ...deriveCaseFields(hubbed),
      applicant: {
        kind: 'person',
        name: '张三',
        idNumber: '11010519491231002X',
        phone: '13912345678',
      },
      ...over,
    });
  }
}

export const receive = (
  materials = [{ materialId: 'm2', name: '户口本', originals: 0, copies: 0, missing: true }],
) =>
  ({
    matterCode: 'M1',
    provisionalNo: 'LS-V1-k1',
    applicantKind: 'person',
    applicantName: '张三',
    materials: [
      { materialId: 'm1', name: '身份证', originals: 1, copies: 1, missing: false },
      ...materials,
    ],
    agentAuthorised: false,
    channel: 'village_window',
  }) as EventPayloads['receive'];
