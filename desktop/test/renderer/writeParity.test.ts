// @vitest-environment node
// (The hub helpers spawn processes and resolve paths from file URLs: a Node environment.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chinaDate,
  maskIdNumber,
  type CaseDoc,
  type MachineContext,
  type MatterDoc,
  type OrgUnit,
} from '@sibantong/shared';
import { startHub, type HubHandle } from '../../../sync-server/test/helpers/hubProcess';
import {
  enrolDevices,
  http,
  loginAs,
  type TestClient,
} from '../../../sync-server/test/helpers/client';
import {
  newCase,
  pushVersions,
  validIdNumber,
  withEvent,
} from '../../../sync-server/test/helpers/cases';
import { checkCaseWrite, makeEvent, applyEvents } from '../../src/renderer/db/caseWrites';
import { machineContextOf } from '../../src/renderer/db/localRules';
import {
  buildNewCase,
  type AcceptInput,
  type MaterialLine,
} from '../../src/renderer/features/village/acceptCase';
import { toCatalogueMatter, type CatalogueMatter } from '../../src/renderer/hooks/useReference';

/**
 * Parity: on a table of writes — every case of issue 14 among them (a 容缺 date of today, the
 * phone formats, a masked and an unmasked ID, …) — the renderer's check before a local write
 * (db/caseWrites.ts `checkCaseWrite`, with the context built from the reference data the hub
 * sends) and a real hub process over HTTP give the same verdict. The cases are built by the
 * accept form's own code (`buildNewCase`), as a clerk's write would be.
 */
// The device's event counter lives in localStorage in the renderer.
const store = new Map<string, string>();
Object.defineProperty(globalThis, 'localStorage', {
  configurable: true,
  value: {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, String(v)),
    removeItem: (k: string) => void store.delete(k),
    clear: () => store.clear(),
  },
});

let hub: HubHandle;
let clerk: TestClient;
let rules: MachineContext;
let forwarded: CatalogueMatter;
let onTheSpot: CatalogueMatter;

beforeAll(async () => {
  hub = await startHub();
  const seeded = await hub.cli(['seed-demo']);
  expect(seeded.code, seeded.stderr).toBe(0);
  const [device] = await enrolDevices(hub, 'village-dq-01', 1);
  clerk = await loginAs(hub, device!, 'v.dq01');
  // What the renderer's sync pulls; the context is built by the renderer's own code.
  const units = [...(await clerk.pullAll<OrgUnit>('orgUnits')).values()];
  const matters = [...(await clerk.pullAll<MatterDoc>('matters')).values()];
  const calendarDocs = [...(await clerk.pullAll<{ id: string }>('calendars')).values()];
  expect(units.length).toBeGreaterThan(0);
  expect(calendarDocs.length).toBeGreaterThan(0);
  rules = machineContextOf({ units, matters, calendarDocs });
  const catalogue = matters.map(toCatalogueMatter);
  forwarded = catalogue.find(
    (m) =>
      m.villageMode === 'accept_and_forward' &&
      m.active &&
      m.materials.some((x) => x.necessity === 'deferrable'),
  )!;
  onTheSpot = catalogue.find((m) => m.villageMode === 'direct_complete' && m.active)!;
  expect(forwarded).toBeDefined();
  expect(onTheSpot).toBeDefined();
}, 180_000);

afterAll(async () => {
  await hub?.stop();
}, 60_000);

const days = (n: number) => chinaDate(new Date(Date.now() + n * 86_400_000));

function lines(m: CatalogueMatter, deferOne: boolean): MaterialLine[] {
  let deferred = false;
  return m.materials.map((x) => {
    const defer = deferOne && !deferred && x.necessity === 'deferrable';
    deferred ||= defer;
    return {
      materialId: x.id,
      name: x.name,
      necessity: x.necessity,
      originals: Math.max(1, x.originals),
      copies: x.copies,
      state: defer ? 'deferred' : 'received',
    };
  });
}

let seq = 0;
async function build(
  over: Partial<AcceptInput> = {},
  matter: CatalogueMatter = forwarded,
): Promise<CaseDoc> {
  seq += 1;
  // Case ids carry the time in base 36: a pause keeps each row's case its own.
  await new Promise((r) => setTimeout(r, 3));
  const input: AcceptInput = {
    matter,
    applicantKind: 'person',
    name: `王小明${seq}`,
    idNumber: validIdNumber(100 + seq),
    phone: '13800138000',
    legalRepresentative: '',
    byAgent: false,
    agentName: '',
    agentIdNumber: '',
    agentPhone: '',
    agentLetterSigned: false,
    materials: lines(matter, false),
    commitmentDate: null,
    commitmentSigned: false,
    promisedDue: null,
    ...over,
  };
  return buildNewCase(input, 'accept', {
    actor: clerk.actor,
    deviceId: clerk.deviceId,
    townId: 'town-dq',
    provisionalNo: `DQ01-PRTY-20261202-${String(seq).padStart(4, '0')}`,
  });
}

const deferredCase = (dueDate: string) =>
  build({ materials: lines(forwarded, true), commitmentDate: dueDate, commitmentSigned: true });

interface Row {
  name: string;
  make: () => Promise<CaseDoc>;
  /** What both sides must say (the table's own claim, checked against both). */
  expected: 'accepted' | 'refused';
}

const ROWS: Row[] = [
  {
    name: 'a plain case: receive, accept, forward to the town',
    make: () => build(),
    expected: 'accepted',
  },
  { name: '即办件 completed on the spot', make: () => build({}, onTheSpot), expected: 'accepted' },
  { name: '容缺 due date today', make: () => deferredCase(days(0)), expected: 'refused' },
  { name: '容缺 due date yesterday', make: () => deferredCase(days(-1)), expected: 'refused' },
  { name: '容缺 due date tomorrow', make: () => deferredCase(days(1)), expected: 'accepted' },
  {
    name: '容缺 due date past the promised time limit',
    make: () => deferredCase(days(400)),
    expected: 'refused',
  },
  {
    name: 'landline with area code 010-01234567',
    make: () => build({ phone: '010-01234567' }),
    expected: 'accepted',
  },
  {
    name: 'landline 0571 88886666',
    make: () => build({ phone: '0571 88886666' }),
    expected: 'accepted',
  },
  {
    name: 'mobile typed +86 138 0013 8000',
    make: () => build({ phone: '+86 138 0013 8000' }),
    expected: 'accepted',
  },
  {
    name: 'mobile typed 86-13800138000',
    make: () => build({ phone: '86-13800138000' }),
    expected: 'accepted',
  },
  {
    name: 'phone stored as typed with +86 (not the normalised form)',
    make: async () => {
      const doc = await build();
      return { ...doc, applicant: { ...doc.applicant, phone: '+86 138 0013 8000' } };
    },
    expected: 'refused',
  },
  {
    name: 'phone 12345',
    make: async () => {
      const doc = await build();
      return { ...doc, applicant: { ...doc.applicant, phone: '12345' } };
    },
    expected: 'refused',
  },
  {
    name: 'phone 88886666 without area code',
    make: async () => {
      const doc = await build();
      return { ...doc, applicant: { ...doc.applicant, phone: '88886666' } };
    },
    expected: 'refused',
  },
  {
    name: 'ID shown masked',
    make: async () => {
      const doc = await build();
      expect(doc.applicantIdMasked).toBe(maskIdNumber(doc.applicant.idNumber));
      return doc;
    },
    expected: 'accepted',
  },
  {
    name: 'ID "masked" field holding the full number',
    make: async () => {
      const doc = await build();
      return { ...doc, applicantIdMasked: doc.applicant.idNumber };
    },
    expected: 'refused',
  },
  {
    name: 'forward to another town',
    make: async () => {
      const doc = await build();
      return {
        ...doc,
        events: doc.events.map((e) =>
          e.type === 'forward' ? { ...e, payload: { ...e.payload, toUnitId: 'town-xh' } } : e,
        ) as CaseDoc['events'],
        holderUnitId: 'town-xh',
      };
    },
    expected: 'refused',
  },
  {
    name: 'an event written in another clerk’s name',
    make: async () => {
      const doc = await build();
      const other = { ...clerk.actor, userId: 'v.dq02-someone', name: '王建国' };
      return {
        ...doc,
        events: doc.events.map((e) => (e.type === 'accept' ? { ...e, actor: other } : e)),
      };
    },
    expected: 'refused',
  },
  {
    name: 'a matter the catalogue does not have',
    make: async () => {
      const doc = await build();
      const code = 'NO-SUCH-MATTER';
      return {
        ...doc,
        matterCode: code,
        events: doc.events.map((e) =>
          e.type === 'receive' ? { ...e, payload: { ...e.payload, matterCode: code } } : e,
        ) as CaseDoc['events'],
      };
    },
    expected: 'refused',
  },
  {
    name: 'terminated right after a 容缺 acceptance (the applicant still has time)',
    make: async () => {
      const doc = await deferredCase(days(3));
      const noForward = { ...doc, events: doc.events.filter((e) => e.type !== 'forward') };
      const ev = makeEvent(
        noForward,
        'terminate',
        { reason: '申请人未补交' },
        clerk.actor,
        clerk.deviceId,
      );
      return applyEvents(noForward, [ev]);
    },
    expected: 'refused',
  },
];

describe('the renderer’s check before a write and the hub give the same verdict', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))(
    '%s',
    async (_name, row) => {
      const doc = await row.make();
      const local = checkCaseWrite(null, doc, rules, {
        actor: clerk.actor,
        deviceId: clerk.deviceId,
      });
      const r = await clerk.push([{ assumedMasterState: null, newDocumentState: doc }]);
      expect(r.status).toBe(200);
      const remote = r.body.results[0]!;
      const localVerdict = local.ok ? 'accepted' : 'refused';
      expect(
        { renderer: localVerdict, hub: remote.status },
        `renderer: ${local.ok ? 'ok' : `${local.code} ${local.messageZh}`}; hub: ${
          remote.status === 'accepted' ? 'ok' : `${remote.code} ${remote.message}`
        }`,
      ).toEqual({ renderer: row.expected, hub: row.expected });
      if (!local.ok) expect(local.messageZh).toMatch(/[\u4e00-\u9fff]/);
    },
    30_000,
  );
});

describe('a case moved to another village', () => {
  it('is returned only to where it is now, on the PC as on the hub', async () => {
    const [townPc, centrePc] = await enrolDevices(hub, 'village-dq-01', 2);
    const town = await loginAs(hub, townPc!, 't.dq');
    const centre = await loginAs(hub, centrePc!, 'c.agent');
    const fresh = await newCase(clerk);
    const forwarded = withEvent(clerk, fresh, 'forward', { toUnitId: 'town-dq', materials: [] });
    const [up] = await pushVersions(clerk, [[null, forwarded]]);
    expect(up?.status).toBe('accepted');
    const moved = await http(`${hub.url}/api/admin/cases/${fresh.id}/move`, {
      token: centre.token,
      body: { toUnitId: 'village-dq-02', reason: '申请人户籍迁至二村' },
    });
    expect(moved.status).toBe(200);
    // The town's PC holds the case as the hub now has it: origin 二村, 一村 a former unit.
    const held = (await town.pullAll<CaseDoc>('cases')).get(fresh.id)!;
    expect(held.formerUnitIds).toContain('village-dq-01');
    const writer = { actor: town.actor, deviceId: town.deviceId };
    for (const [toUnitId, expected] of [
      ['village-dq-01', 'refused'],
      ['village-dq-02', 'accepted'],
    ] as const) {
      const after = withEvent(town, held, 'return_for_correction', {
        toUnitId,
        reason: '材料不清',
      });
      const local = checkCaseWrite(held, after, rules, writer);
      const [remote] = await pushVersions(town, [[held, after]]);
      expect({ renderer: local.ok ? 'accepted' : local.code, hub: remote?.status }).toEqual({
        renderer: expected === 'refused' ? 'TARGET_UNIT_INVALID' : 'accepted',
        hub: expected,
      });
    }
  }, 60_000);
});
