/** Logger rotation, settings, device key and PDF names (plain fs, no Electron). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/logger';
import { safePdfFileName } from '../../src/main/printing';
import {
  DEFAULT_SETTINGS,
  loadOrCreateDeviceKey,
  loadSettings,
  saveSettings,
} from '../../src/main/settings';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sbt-main-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('logger', () => {
  it('writes JSON lines and rotates by size, keeping N files', () => {
    const dir = tmp();
    const log = createLogger(dir, { maxBytes: 400, keep: 3 });
    log.error('failed', { error: new Error('disk full') });
    expect(fs.readFileSync(log.file, 'utf8')).toContain('disk full');
    for (let i = 0; i < 40; i++) log.info(`line ${i}`, { i });
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['main.1.log', 'main.2.log', 'main.3.log', 'main.log']);
    const last = fs.readFileSync(log.file, 'utf8').trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toMatchObject({ level: 'info', message: 'line 39', meta: { i: 39 } });
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(400);
  });
});

describe('settings and device key', () => {
  it('defaults, round-trips and rejects junk', () => {
    const dir = tmp();
    expect(loadSettings(dir)).toEqual(DEFAULT_SETTINGS);
    saveSettings(dir, { ...DEFAULT_SETTINGS, hubUrl: 'https://hub', updateChannel: 'pilot' });
    expect(loadSettings(dir)).toMatchObject({ hubUrl: 'https://hub', updateChannel: 'pilot' });
    fs.writeFileSync(
      path.join(dir, 'settings.json'),
      '{"updateChannel":"nightly","updateCheckHours":-1}',
    );
    expect(loadSettings(dir)).toMatchObject({ updateChannel: 'stable', updateCheckHours: 4 });
  });
  it('creates the device key once and keeps it', () => {
    const dir = tmp();
    const a = loadOrCreateDeviceKey(dir);
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(loadOrCreateDeviceKey(dir)).toBe(a);
  });
});

describe('PDF file names', () => {
  const table: Array<[string, string]> = [
    ['受理通知书-张三', '受理通知书-张三.pdf'],
    ['回执.pdf', '回执.pdf'],
    ['../../etc/passwd', '_.._etc_passwd.pdf'],
    ['a:b*c?d"e<f>g|h', 'a_b_c_d_e_f_g_h.pdf'],
    ['', '四办通文档.pdf'],
    ['CON', '四办通文档.pdf'],
    ['  . ', '四办通文档.pdf'],
  ];
  for (const [input, want] of table) {
    it(`${JSON.stringify(input)} → ${want}`, () => expect(safePdfFileName(input)).toBe(want));
  }
});
