/**
 * Direct admin access to a test hub's store (as an operator with the store's credentials
 * would have), to look at what is really stored and to write what an older hub wrote.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COUCHDB_URL, type HubHandle } from './hubProcess.js';

export interface StoreAdmin {
  /** Base URL without credentials. */
  base: string;
  /** Port of the embedded store (embedded mode), else 0. */
  port: number;
  headers: Record<string, string>;
  /** Full database name of a hub database suffix (cases, hub, refusals, auth…). */
  db(suffix: string): string;
  get(pathname: string): Promise<{ status: number; body: unknown; text: string }>;
  put(pathname: string, body: unknown): Promise<{ status: number; body: unknown }>;
  del(pathname: string): Promise<{ status: number; body: unknown }>;
}

export function storeAdmin(hub: HubHandle): StoreAdmin {
  let base: URL;
  let user: string;
  let pass: string;
  let port = 0;
  if (hub.mode === 'embedded') {
    const ep = JSON.parse(
      readFileSync(path.join(hub.dataDir, 'store', 'endpoint.json'), 'utf8'),
    ) as { port: number };
    const s = JSON.parse(
      readFileSync(path.join(hub.dataDir, 'secrets', 'store-admin.json'), 'utf8'),
    ) as { user: string; secret: string };
    base = new URL(`http://127.0.0.1:${ep.port}`);
    user = s.user;
    pass = s.secret;
    port = ep.port;
  } else {
    base = new URL(COUCHDB_URL);
    user = decodeURIComponent(base.username);
    pass = decodeURIComponent(base.password);
    base.username = '';
    base.password = '';
  }
  const headers = {
    authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
    'content-type': 'application/json',
  };
  const b = base.toString().replace(/\/$/, '');
  const send = async (method: string, pathname: string, body?: unknown) => {
    const res = await fetch(`${b}${pathname}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed, text };
  };
  return {
    base: b,
    port,
    headers,
    db: (suffix) => `${hub.prefix}${suffix}`,
    get: (p) => send('GET', p),
    put: (p, body) => send('PUT', p, body),
    del: (p) => send('DELETE', p),
  };
}
