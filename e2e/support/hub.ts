import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { authHeaders, rememberTokenDevice } from './deviceProof';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { EnrollResponse, LoginResponse } from '@sibantong/shared';
import { REPO_ROOT } from './paths';

const CLI = path.join(REPO_ROOT, 'sync-server', 'src', 'cli', 'main.ts');

/** The run's hub bundle (support/globalSetup.ts), else the sources through tsx. */
function hubCommand(): string[] {
  const bundle = process.env.HUB_TEST_TSX === '1' ? '' : (process.env.SBT_TEST_HUB_BUNDLE ?? '');
  return bundle ? ['--enable-source-maps', bundle] : ['--import', 'tsx', CLI];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface HubHandle {
  url: string;
  dataDir: string;
  cli(args: string[]): unknown;
  enrolmentCode(unitId: string): string;
  revoke(deviceId: string): void;
  stop(): Promise<void>;
}

/** A real hub process on a temp data dir, seeded with the demo county. */
export async function startHub(): Promise<HubHandle> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sbt-e2e-hub-'));
  const port = await freePort();
  const env = {
    ...process.env,
    HUB_PORT: String(port),
    HUB_HOST: '127.0.0.1',
    HUB_DATA_DIR: dataDir,
    HUB_WARNING_INTERVAL_MS: '3600000',
  };
  const cli = (args: string[]): unknown => {
    const r = spawnSync(process.execPath, [...hubCommand(), ...args, '--json'], {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0)
      throw new Error(`hub cli ${args.join(' ')} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
    const lines = r.stdout.trim().split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      try {
        return JSON.parse(lines.slice(i).join('\n'));
      } catch {
        // keep looking for the start of the JSON document
      }
    }
    return r.stdout;
  };
  cli(['seed-demo']);
  const child: ChildProcess = spawn(process.execPath, [...hubCommand(), 'serve'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start in 90 s:\n${log}`)), 90_000);
    child.stdout?.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('"listening"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited (${code}):\n${log}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    dataDir,
    cli,
    enrolmentCode(unitId) {
      const out = cli(['device', 'enroll', '--unit', unitId]) as { codes: { code: string }[] };
      const code = out.codes[0]?.code;
      if (!code) throw new Error('no enrolment code');
      return code;
    },
    revoke(deviceId) {
      cli(['device', 'revoke', deviceId]);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Direct API login (for admin steps that have no screen in the desktop client). */
export async function apiLogin(
  hub: HubHandle,
  unitId: string,
  username: string,
  password: string,
): Promise<LoginResponse> {
  const code = hub.enrolmentCode(unitId);
  const enrol = (await (
    await fetch(`${hub.url}/api/devices/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceName: 'e2e 管理' }),
    })
  ).json()) as EnrollResponse;
  const res = await fetch(`${hub.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username,
      password,
      deviceId: enrol.deviceId,
      deviceSecret: enrol.deviceSecret,
    }),
  });
  if (!res.ok) throw new Error(`login failed ${res.status}: ${await res.text()}`);
  const session = (await res.json()) as LoginResponse;
  rememberTokenDevice(session.accessToken, enrol.deviceSecret);
  return session;
}

export async function findCaseId(
  hub: HubHandle,
  token: string,
  provisionalNo: string,
): Promise<string> {
  let checkpoint: unknown = null;
  for (;;) {
    const q = new URLSearchParams({ limit: '200' });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const res = (await (
      await fetch(`${hub.url}/api/sync/cases/pull?${q}`, {
        headers: authHeaders(token),
      })
    ).json()) as {
      documents: { id: string; provisionalNo?: string }[];
      checkpoint: unknown;
    };
    const hit = res.documents.find((d) => d.provisionalNo === provisionalNo);
    if (hit) return hit.id;
    if (res.documents.length === 0) throw new Error(`case ${provisionalNo} not found on hub`);
    checkpoint = res.checkpoint;
  }
}

export async function moveCase(
  hub: HubHandle,
  token: string,
  caseId: string,
  toUnitId: string,
): Promise<void> {
  const res = await fetch(`${hub.url}/api/admin/cases/${encodeURIComponent(caseId)}/move`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(token) },
    body: JSON.stringify({ toUnitId, reason: '申请人户籍迁至邻村' }),
  });
  if (!res.ok) throw new Error(`move failed ${res.status}: ${await res.text()}`);
}
