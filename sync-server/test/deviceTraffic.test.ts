/**
 * The hub's background work yields to devices: the workflow processor waits while devices'
 * pushes are running, but never longer than its bound (that pulls do not hold it:
 * workflowUnderPulls.test.ts), and the scope of what the hub has just written is handed to
 * the change follower instead of being read back from the store.
 */
import { describe, expect, it } from 'vitest';
import { caseScopeKeys } from '@sibantong/shared/org/scopeKeys';
import { DeviceTraffic } from '../src/sync/deviceTraffic.js';
import { rememberWrites, scopeProjection, takeWritten } from '../src/sync/writtenCases.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('device traffic', () => {
  it('holds background work while a device request runs, and lets it go once quiet', async () => {
    const traffic = new DeviceTraffic(100);
    expect(await traffic.calm(1_000)).toBeLessThan(20);
    let release: () => void = () => undefined;
    const push = traffic.pushing(() => new Promise<void>((r) => (release = r)));
    setTimeout(() => release(), 300);
    const waited = await traffic.calm(5_000);
    await push;
    // The push ran 300 ms, then 100 ms of quiet.
    expect(waited).toBeGreaterThanOrEqual(380);
    expect(waited).toBeLessThan(2_000);
  });

  it('never holds background work longer than its bound under steady traffic', async () => {
    const traffic = new DeviceTraffic(100);
    let running = true;
    const steady = (async () => {
      while (running) await traffic.pushing(() => sleep(20));
    })();
    const waited = await traffic.calm(400);
    running = false;
    await steady;
    expect(waited).toBeGreaterThanOrEqual(400);
    expect(waited).toBeLessThan(1_000);
  });

  it('propagates a failed request and still counts it as ended', async () => {
    const traffic = new DeviceTraffic(0);
    await expect(traffic.pushing(() => Promise.reject(new Error('store down')))).rejects.toThrow(
      'store down',
    );
    expect(traffic.busy()).toBe(false);
  });
});

describe('cases the hub has just written', () => {
  const stored = {
    _id: 'c1',
    _rev: '1-a',
    id: 'c1',
    originUnitId: 'village-dq-01',
    holderUnitId: 'county-sx',
    townId: 'town-dq',
    assistingDeptIds: ['dept-zj'],
    formerUnitIds: ['village-dq-02'],
    applicant: { kind: 'person', name: '张三', idNumber: '11010519491231002X' },
    events: [
      { id: 'e1', type: 'receive', payload: { materials: [] } },
      { id: 'e2', type: 'request_assistance', payload: { departmentIds: ['dept-zrzy'] } },
    ],
  };

  it('keeps only what the scope rule reads (no personal data), with the same keys', () => {
    const p = scopeProjection(stored);
    expect(p).not.toHaveProperty('applicant');
    expect(p.events.map((e) => e.id)).toEqual(['e2']);
    expect(caseScopeKeys(p).sort()).toEqual(caseScopeKeys(stored as never).sort());
  });

  it('hands out a written revision once, and nothing for a write the store refused', () => {
    rememberWrites(
      [stored, { ...stored, _id: 'c2', id: 'c2' }],
      [
        { id: 'c1', rev: '2-b' },
        { id: 'c2', error: 'conflict' },
      ],
    );
    expect(takeWritten('c1', '1-a')).toBeUndefined(); // another revision: read it from the store
    expect(takeWritten('c1', '2-b')?.holderUnitId).toBe('county-sx');
    expect(takeWritten('c1', '2-b')).toBeUndefined();
    expect(takeWritten('c2', '1-a')).toBeUndefined();
  });
});
