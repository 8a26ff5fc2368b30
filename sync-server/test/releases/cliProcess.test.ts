/** The real `sibantong-hub release …` command (bin launcher → cli/main.ts → runReleaseCli). */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFakeBuild } from './fakeBuild.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/sibantong-hub.mjs', import.meta.url));
let tmp = '';
afterAll(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

async function hub(dataDir: string, ...args: string[]) {
  try {
    const r = await run(process.execPath, [bin, 'release', ...args], {
      env: { ...process.env, HUB_DATA_DIR: dataDir },
    });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe('sibantong-hub release (process)', () => {
  it('publishes, lists as JSON, refuses tampering, rolls back', async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'sbt-release-cli-'));
    const dataDir = path.join(tmp, 'data');
    const a = await writeFakeBuild(tmp, '2.0.0');
    const b = await writeFakeBuild(tmp, '2.1.0');
    expect((await hub(dataDir, 'publish', a.folder, '--channel', 'stable')).code).toBe(0);
    expect(
      (await hub(dataDir, 'publish', b.folder, '--channel', 'stable', '--rollout', '10')).code,
    ).toBe(0);
    const list = await hub(dataDir, 'list', '--channel', 'stable', '--json');
    expect(list.code).toBe(0);
    const [state] = JSON.parse(list.out) as Array<{
      stack: Array<{ version: string; rollout: number }>;
    }>;
    expect(state!.stack.map((s) => [s.version, s.rollout])).toEqual([
      ['2.0.0', 100],
      ['2.1.0', 10],
    ]);
    const c = await writeFakeBuild(tmp, '2.2.0');
    await fs.appendFile(path.join(c.folder, 'Sibantong-2.2.0-linux-arm64.AppImage'), 'tampered');
    const bad = await hub(dataDir, 'publish', c.folder, '--channel', 'stable');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/RELEASE_(SIZE|CHECKSUM)_MISMATCH/);
    const back = await hub(dataDir, 'rollback', '--channel', 'stable');
    expect(back.code).toBe(0);
    expect(back.out).toContain('2.0.0');
    expect((await hub(dataDir)).code).toBe(2);
  }, 60_000);
});
