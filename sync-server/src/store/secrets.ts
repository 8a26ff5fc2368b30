/** Secrets the hub generates once and keeps in its data folder (mode 0600). */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export interface StoreAdminSecret {
  user: string;
  secret: string;
}

export function storeAdminSecret(dataDir: string): StoreAdminSecret {
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, 'store-admin.json');
  if (existsSync(file)) {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (
      raw &&
      typeof raw === 'object' &&
      'user' in raw &&
      'secret' in raw &&
      typeof raw.user === 'string' &&
      typeof raw.secret === 'string'
    ) {
      return { user: raw.user, secret: raw.secret };
    }
    throw new Error(`${file} is damaged`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const created = { user: 'hub', secret: randomBytes(32).toString('base64url') };
  writeFileSync(file, JSON.stringify(created), { mode: 0o600 });
  return created;
}
