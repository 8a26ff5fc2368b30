/**
 * Main-process settings in userData/settings.json (written atomically) and the device key in
 * userData/device.json. Plain fs: testable without Electron.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { UpdateChannel } from './updates/feedUrl';

export interface MainSettings {
  /** County hub address, e.g. https://hub.county.example:8787 (set by the renderer at enrolment). */
  hubUrl: string | null;
  /** stable for everyone, pilot for the few pilot offices. */
  updateChannel: UpdateChannel;
  /** Allow an http:// hub (pilot only; IT sets this by hand). */
  allowInsecureHub: boolean;
  /** Hours between update checks. */
  updateCheckHours: number;
}

export const DEFAULT_SETTINGS: MainSettings = {
  hubUrl: null,
  updateChannel: 'stable',
  allowInsecureHub: false,
  updateCheckHours: 4,
};

export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, text, 'utf8');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function loadSettings(dir: string): MainSettings {
  try {
    const raw = JSON.parse(
      fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'),
    ) as Partial<MainSettings>;
    return {
      hubUrl: typeof raw.hubUrl === 'string' ? raw.hubUrl : null,
      updateChannel: raw.updateChannel === 'pilot' ? 'pilot' : 'stable',
      allowInsecureHub: raw.allowInsecureHub === true,
      updateCheckHours:
        typeof raw.updateCheckHours === 'number' &&
        raw.updateCheckHours >= 0.25 &&
        raw.updateCheckHours <= 168
          ? raw.updateCheckHours
          : DEFAULT_SETTINGS.updateCheckHours,
    };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export function saveSettings(dir: string, settings: MainSettings): void {
  writeFileAtomic(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

/** The installation's stable id: created once, then read back forever. */
export function loadOrCreateDeviceKey(dir: string): string {
  const file = path.join(dir, 'device.json');
  try {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { deviceKey?: unknown };
    if (typeof raw.deviceKey === 'string' && /^[0-9a-f-]{36}$/.test(raw.deviceKey))
      return raw.deviceKey;
  } catch {
    // first start
  }
  const deviceKey = randomUUID();
  writeFileAtomic(
    file,
    JSON.stringify({ deviceKey, createdAt: new Date().toISOString() }, null, 2) + '\n',
  );
  return deviceKey;
}
