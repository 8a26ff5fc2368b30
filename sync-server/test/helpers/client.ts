/** A minimal client of the hub's HTTP API for tests: login, pull, push, stream. */
import { createHash, createHmac } from 'node:crypto';
import {
  DEMO_USERS,
  DEVICE_PROOF_HEADER,
  DEVICE_PROOF_QUERY,
  STREAM_PROOF_PREFIX,
  type CaseDoc,
  type EnrollResponse,
  type LoginResponse,
  type PullCheckpoint,
  type PullResponse,
  type PushResponse,
  type PushRow,
} from '@sibantong/shared';
import type { HubHandle } from './hubProcess.js';

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Device secrets of the tokens this process obtained: every request with a token carries its
 * device's proof, as the desktop does (docs/security-model.md). A test that wants to present a
 * token without its device (a copied token) passes `proof: null` or its own `proof`.
 */
const deviceSecretOfToken = new Map<string, string>();

export function rememberTokenDevice(token: string, deviceSecret: string): void {
  deviceSecretOfToken.set(token, deviceSecret);
}

/** The device proof of `token` made with `deviceSecret` (the desktop computes the same). */
export function deviceProof(
  token: string,
  deviceSecret: string,
  channel: 'header' | 'query' = 'header',
): string {
  const key = createHash('sha256').update(deviceSecret).digest();
  return createHmac('sha256', key)
    .update(channel === 'query' ? `${STREAM_PROOF_PREFIX}${token}` : token)
    .digest('base64url');
}

/** The headers that authenticate a request with `token` (its bearer and its device proof). */
export function authHeaders(token: string): Record<string, string> {
  const secret = deviceSecretOfToken.get(token);
  return {
    authorization: `Bearer ${token}`,
    ...(secret ? { [DEVICE_PROOF_HEADER]: deviceProof(token, secret) } : {}),
  };
}

export async function http<T = unknown>(
  url: string,
  init: {
    method?: string;
    token?: string;
    body?: unknown;
    raw?: string;
    headers?: Record<string, string>;
    /** Device proof to send; default: the proof of the device the token was issued to. */
    proof?: string | null;
  } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) {
    headers.authorization = `Bearer ${init.token}`;
    const secret = deviceSecretOfToken.get(init.token);
    const proof =
      init.proof === undefined ? (secret ? deviceProof(init.token, secret) : null) : init.proof;
    if (proof) headers[DEVICE_PROOF_HEADER] = proof;
  }
  let body: string | undefined;
  if (init.raw !== undefined) body = init.raw;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Enrols `n` devices for a unit through the CLI and the enrol endpoint. */
export async function enrolDevices(
  hub: HubHandle,
  unit: string,
  n: number,
): Promise<EnrollResponse[]> {
  const out = await hub.cli(['device', 'enroll', '--unit', unit, '--count', String(n)]);
  if (out.code !== 0) throw new Error(`enroll failed: ${out.stderr}`);
  const codes = (out.json as { codes: { code: string }[] }).codes;
  const devices: EnrollResponse[] = [];
  for (const c of codes) {
    const r = await http<EnrollResponse>(`${hub.url}/api/devices/enroll`, {
      body: { code: c.code, deviceName: 'test-pc' },
    });
    if (r.status !== 200) throw new Error(`enroll: ${JSON.stringify(r.body)}`);
    devices.push(r.body);
  }
  return devices;
}

export class TestClient {
  session!: LoginResponse;
  private counter = 0;
  constructor(
    readonly hub: HubHandle,
    readonly username: string,
    readonly device: EnrollResponse,
  ) {}

  get token(): string {
    return this.session.accessToken;
  }
  get actor() {
    const u = this.session.user;
    return { userId: u.userId, name: u.name, role: u.role, orgUnitId: u.orgUnitId };
  }
  get deviceId(): string {
    return this.device.deviceId;
  }
  nextCounter(): number {
    this.counter += 1;
    return this.counter;
  }

  async login(password = 'Demo@2026'): Promise<this> {
    const r = await http<LoginResponse>(`${this.hub.url}/api/auth/login`, {
      body: {
        username: this.username,
        password,
        deviceId: this.device.deviceId,
        deviceSecret: this.device.deviceSecret,
      },
    });
    if (r.status !== 200) throw new Error(`login ${this.username}: ${JSON.stringify(r.body)}`);
    this.session = r.body;
    rememberTokenDevice(r.body.accessToken, this.device.deviceSecret);
    return this;
  }

  async pull<D = CaseDoc>(
    collection: string,
    checkpoint: PullCheckpoint | null,
    limit = 100,
  ): Promise<HttpResult<PullResponse<D>>> {
    const q = new URLSearchParams({ limit: String(limit) });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    return http<PullResponse<D>>(`${this.hub.url}/api/sync/${collection}/pull?${q}`, {
      token: this.token,
    });
  }

  /** Pulls until the feed is exhausted; returns the latest version of every document by id. */
  async pullAll<D extends { id: string } = CaseDoc>(collection: string): Promise<Map<string, D>> {
    const docs = new Map<string, D>();
    let checkpoint: { seq: string } | null = null;
    for (let i = 0; i < 1000; i += 1) {
      const r: HttpResult<PullResponse<D>> = await this.pull<D>(collection, checkpoint, 200);
      if (r.status !== 200) throw new Error(`pull ${collection}: ${JSON.stringify(r.body)}`);
      for (const d of r.body.documents) docs.set(d.id, d);
      if (r.body.documents.length < 200) return docs;
      checkpoint = r.body.checkpoint;
    }
    return docs;
  }

  async push(rows: PushRow[]): Promise<HttpResult<PushResponse>> {
    return http<PushResponse>(`${this.hub.url}/api/sync/cases/push`, {
      token: this.token,
      body: { rows },
    });
  }
}

/** Stand-in devices of the demo users' own units (see loginAs), one per device asked for. */
const ownUnitDevices = new Map<string, Promise<EnrollResponse>>();

/**
 * Logs a demo user in on `device`. A PC only accepts its own unit's users (auth/unitRule.ts):
 * when `device` belongs to another unit, the user logs in on a device of their own unit
 * instead, enrolled once per (hub, device) so distinct devices stay distinct.
 */
export async function loginAs(
  hub: HubHandle,
  device: EnrollResponse,
  username: string,
): Promise<TestClient> {
  const unit = DEMO_USERS.find((u) => u.username === username)?.orgUnitId;
  let onDevice = device;
  if (unit && unit !== device.orgUnitId) {
    const key = `${hub.url}|${device.deviceId}|${unit}`;
    let pending = ownUnitDevices.get(key);
    if (!pending) {
      pending = enrolDevices(hub, unit, 1).then((d) => d[0]!);
      ownUnitDevices.set(key, pending);
    }
    onDevice = await pending;
  }
  return new TestClient(hub, username, onDevice).login();
}

/** Reads server-sent events from the stream; `events` fills as they arrive. */
export function openStream(hub: HubHandle, token: string, proofOverride?: string) {
  const controller = new AbortController();
  const secret = deviceSecretOfToken.get(token);
  const proof = proofOverride ?? (secret ? deviceProof(token, secret, 'query') : '');
  const events: { event: string; data: string; at: number }[] = [];
  const ready = (async () => {
    const res = await fetch(
      `${hub.url}/api/sync/stream?access_token=${encodeURIComponent(token)}&${DEVICE_PROOF_QUERY}=${encodeURIComponent(proof)}`,
      { signal: controller.signal },
    );
    if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buf += decoder.decode(value, { stream: true });
          let idx: number;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            let event = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (data || event !== 'message') events.push({ event, data, at: Date.now() });
          }
        }
      } catch {
        // aborted
      }
    })();
  })();
  return { events, ready, close: () => controller.abort() };
}

export async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
  stepMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
