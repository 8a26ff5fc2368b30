import { describe, expect, it } from 'vitest';
import {
  type UpdateMachine,
  type UpdaterEvent,
  canInstallNow,
  classifyUpdateError,
  initialUpdateMachine,
  reduceUpdate,
} from '../../src/renderer/updates/updateStateMachine';

const at = new Date('2026-11-22T08:00:00.000Z');
function run(events: UpdaterEvent[], start: UpdateMachine = initialUpdateMachine) {
  let m = start;
  const effects: string[] = [];
  for (const e of events) {
    const step = reduceUpdate(m, e, at);
    m = step.machine;
    if (step.effect) effects.push(step.effect);
  }
  return { m, effects };
}

describe('update state machine', () => {
  it('no update: checking → none with the check time', () => {
    const { m } = run([{ type: 'checking' }, { type: 'not-available' }]);
    expect(m.state).toEqual({ kind: 'none', checkedAt: at.toISOString() });
  });

  it('update available, download progress, downloaded (installs on quit)', () => {
    const a = run([{ type: 'checking' }, { type: 'available', version: '1.3.0' }]);
    expect(a.m.state).toEqual({ kind: 'available', version: '1.3.0' });
    const p = run([{ type: 'progress', percent: 41.234, bytesPerSecond: 125000.7 }], a.m);
    expect(p.m.state).toEqual({
      kind: 'downloading',
      version: '1.3.0',
      percent: 41.2,
      bytesPerSecond: 125001,
    });
    const over = run([{ type: 'progress', percent: 180, bytesPerSecond: -1 }], a.m);
    expect(over.m.state).toMatchObject({ percent: 100, bytesPerSecond: 0 });
    const d = run([{ type: 'downloaded', version: '1.3.0' }], p.m);
    expect(d.m.state).toEqual({ kind: 'downloaded', version: '1.3.0', installOnQuit: true });
    expect(canInstallNow(d.m)).toBe(true);
  });

  it('hub unreachable → UPDATE_HUB_UNREACHABLE with a Chinese message', () => {
    for (const error of [
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:8787'), { code: 'ECONNREFUSED' }),
      new Error('net::ERR_CONNECTION_REFUSED'),
      new Error('net::ERR_NAME_NOT_RESOLVED'),
      new Error('net::ERR_INTERNET_DISCONNECTED'),
      Object.assign(new Error('getaddrinfo ENOTFOUND hub.county'), { code: 'ENOTFOUND' }),
      Object.assign(new Error('502 Bad Gateway'), { statusCode: 502 }),
    ]) {
      const { m } = run([{ type: 'checking' }, { type: 'error', error }]);
      expect(m.state.kind).toBe('error');
      if (m.state.kind !== 'error') continue;
      expect(m.state.code).toBe('UPDATE_HUB_UNREACHABLE');
      expect(m.state.message).toMatch(/无法连接县级服务中心/);
    }
  });

  it('classifies the other updater errors', () => {
    expect(
      classifyUpdateError({ code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND', message: 'x' }).code,
    ).toBe('UPDATE_FEED_NOT_FOUND');
    expect(classifyUpdateError(new Error('sha512 checksum mismatch, expected a, got b')).code).toBe(
      'UPDATE_CHECKSUM_MISMATCH',
    );
    expect(classifyUpdateError({ code: 'UPDATE_HUB_INSECURE', messageZh: '请改用 https' })).toEqual(
      {
        code: 'UPDATE_HUB_INSECURE',
        message: '请改用 https',
      },
    );
    const other = classifyUpdateError(new Error('boom'));
    expect(other.code).toBe('UPDATE_FAILED');
    expect(other.message).toContain('boom');
    expect(classifyUpdateError(undefined).code).toBe('UPDATE_FAILED');
  });

  it('never installs over a dirty form: deferred, then installs once the form is saved', () => {
    const { m: ready } = run([
      { type: 'available', version: '2.0.0' },
      { type: 'downloaded', version: '2.0.0' },
      { type: 'dirty', dirty: true },
    ]);
    expect(canInstallNow(ready)).toBe(false);
    const asked = reduceUpdate(ready, { type: 'install-requested' }, at);
    expect(asked.effect).toBeNull();
    expect(asked.machine.state).toMatchObject({ kind: 'downloaded', installDeferred: true });
    // still dirty: another edit does not install
    expect(reduceUpdate(asked.machine, { type: 'dirty', dirty: true }, at).effect).toBeNull();
    const saved = reduceUpdate(asked.machine, { type: 'dirty', dirty: false }, at);
    expect(saved.effect).toBe('install');
    expect(saved.machine.state).toMatchObject({ kind: 'downloaded', installDeferred: false });
  });

  it('installs at once when clean, and never without a downloaded update', () => {
    const { m } = run([{ type: 'downloaded', version: '2.0.0' }]);
    expect(reduceUpdate(m, { type: 'install-requested' }, at).effect).toBe('install');
    expect(reduceUpdate(initialUpdateMachine, { type: 'install-requested' }, at).effect).toBeNull();
    const dirtyThenClean = run([
      { type: 'dirty', dirty: true },
      { type: 'dirty', dirty: false },
    ]);
    expect(dirtyThenClean.effects).toEqual([]);
  });

  it('keeps a downloaded update visible through later periodic checks and errors', () => {
    const { m } = run([
      { type: 'downloaded', version: '2.0.0' },
      { type: 'checking' },
      { type: 'available', version: '2.0.0' },
      { type: 'not-available' },
      { type: 'error', error: new Error('net::ERR_CONNECTION_REFUSED') },
      { type: 'progress', percent: 5, bytesPerSecond: 1 },
    ]);
    expect(m.state).toEqual({ kind: 'downloaded', version: '2.0.0', installOnQuit: true });
    const newer = run([{ type: 'available', version: '2.1.0' }], m);
    expect(newer.m.state).toEqual({ kind: 'available', version: '2.1.0' });
  });
});
