/** Small pure modules of the hub, without a process: passwords, tokens, checkpoints. */
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../src/auth/passwords.js';
import { checkAccessToken, issueAccessToken } from '../src/auth/tokens.js';
import { AttemptLimiter } from '../src/auth/throttle.js';
import { canonicalJson } from '../src/domain/canonical.js';
import { checkpointInEpoch, parseCheckpoint } from '../src/sync/pullHandler.js';

describe('passwords', () => {
  it('hashes with scrypt and a fresh salt, and verifies', async () => {
    const a = await hashPassword('Demo@2026');
    const b = await hashPassword('Demo@2026');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('Demo@2026', a)).toBe(true);
    expect(await verifyPassword('demo@2026', a)).toBe(false);
    expect(await verifyPassword('Demo@2026', 'md5$abc')).toBe(false);
  });
  it('applies the minimal policy', () => {
    expect(passwordProblem('short1A')).not.toBeNull();
    expect(passwordProblem('alllowercase')).not.toBeNull();
    expect(passwordProblem('Good@Pass1')).toBeNull();
  });
});

describe('access tokens', () => {
  const key = 'k'.repeat(43);
  const claims = { sid: 's1', usr: 'v.dq01', did: 'dev-1', exp: 2_000 };
  it('verifies its own tokens and refuses tampering and expiry', () => {
    const t = issueAccessToken(key, claims);
    expect(checkAccessToken(key, t, 1_000)).toEqual({ ok: true, claims });
    expect(checkAccessToken(key, t, 2_000)).toEqual({ ok: false, reason: 'expired' });
    expect(checkAccessToken('x'.repeat(43), t, 1_000)).toEqual({ ok: false, reason: 'signature' });
    const [v, , sig] = t.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, usr: 'sup' })).toString('base64url');
    expect(checkAccessToken(key, `${v}.${forged}.${sig}`, 1_000).ok).toBe(false);
    expect(checkAccessToken(key, 'garbage', 1_000)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('attempt limiter', () => {
  it('counts attempts in flight, keeps failures for ten minutes, gives back right ones', () => {
    const t = new AttemptLimiter(30);
    const slots = Array.from({ length: 40 }, () => t.reserve('10.0.0.1', 0));
    expect(slots.filter(Boolean)).toHaveLength(30);
    expect(t.reserve('10.0.0.2', 0)).not.toBeNull();
    slots[0]!.release();
    expect(t.full('10.0.0.1', 100)).toBe(false);
    for (const s of slots.slice(1, 30)) s!.keep();
    expect(t.reserve('10.0.0.1', 100)).not.toBeNull();
    expect(t.full('10.0.0.1', 100)).toBe(true);
    expect(t.full('10.0.0.1', 11 * 60_000)).toBe(false);
  });
});

describe('pull checkpoints', () => {
  it('accepts store sequences (with the store epoch) and refuses anything else', () => {
    expect(parseCheckpoint(undefined)).toBeNull();
    expect(parseCheckpoint('null')).toBeNull();
    expect(parseCheckpoint('{"seq":"42"}')).toEqual({ seq: '42' });
    expect(parseCheckpoint('{"seq":"12-g1AAAAB_eJz-x"}')).toEqual({ seq: '12-g1AAAAB_eJz-x' });
    expect(parseCheckpoint('{"seq":"7","epoch":"0123456789abcdef"}')).toEqual({
      seq: '7',
      epoch: '0123456789abcdef',
    });
    for (const bad of [
      '{',
      '{"seq":42}',
      '{"seq":"1","x":1}',
      '[]',
      '{"seq":"now"}',
      '{"seq":"1 OR 1"}',
      '{"seq":"1","epoch":"../x"}',
      '{"seq":"1","epoch":1}',
    ]) {
      expect(() => parseCheckpoint(bad)).toThrow(/INVALID_CHECKPOINT/);
    }
  });
});

describe('store epochs', () => {
  it("restarts a checkpoint of another store's epoch; keeps this epoch's and older ones", () => {
    const epoch = '0123456789abcdef';
    const stats = { path: 'scan' as const, docsRead: 0, restarted: false };
    expect(checkpointInEpoch({ seq: '9', epoch }, epoch, stats)).toEqual({ seq: '9', epoch });
    expect(checkpointInEpoch({ seq: '9' }, epoch, stats)).toEqual({ seq: '9' });
    expect(stats.restarted).toBe(false);
    expect(checkpointInEpoch({ seq: '9', epoch: 'fedcba9876543210' }, epoch, stats)).toBeNull();
    expect(stats.restarted).toBe(true);
  });
});

describe('canonical JSON', () => {
  it('ignores key order and undefined', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: 2 }] })).toBe(
      canonicalJson({ a: [1, { c: 2 }], b: 1 }),
    );
  });
});
