/**
 * `restore`: replaces every database of the hub with a backup's. Checked whole before anything
 * is dropped — the file is complete, and the data keys that sealed it are the ones in this
 * hub's `secrets/at-rest-keys.json` (same fingerprint): restoring without them would leave
 * every citizen's field unreadable. Runs only while no hub serves the store.
 */
import { keyFilePath, type Keyring } from '../atRest/keyring.js';
import { CliRefusal } from '../cli/exitCodes.js';
import type { GuardedStore } from '../store/guardedStore.js';
import { BackupFileError, keyFingerprints, readBackup, type BackupHeader } from './backupFile.js';
import { createDatabase, dropDatabase, hubDatabases, writeDocs, type RawDoc } from './storeCopy.js';
import { existsSync } from 'node:fs';

function sealedKid(doc: RawDoc): string | null {
  const s = doc.sealed;
  return s && typeof s === 'object' && typeof (s as { kid?: unknown }).kid === 'string'
    ? (s as { kid: string }).kid
    : null;
}

/** Refuses unless every key the backup's sealed documents name is here, the same key. */
export function checkKeys(
  needed: Set<string>,
  backupPrints: Record<string, string>,
  herePrints: Record<string, string>,
  keyFile: string,
): void {
  for (const kid of needed) {
    if (!backupPrints[kid] || herePrints[kid] !== backupPrints[kid]) {
      throw new CliRefusal(
        `无法恢复：备份中的数据用密钥 ${kid}（指纹 ${backupPrints[kid] ?? '未知'}）加密，` +
          `而 ${keyFile} 中${herePrints[kid] ? `的 ${kid} 指纹为 ${herePrints[kid]}` : `没有 ${kid}`}。` +
          '请先把备份时的密钥文件复制到该位置（见 docs/it-guide.md「备份与恢复」）。',
      );
    }
  }
}

export interface CheckedBackup {
  file: string;
  counts: Record<string, number>;
}

/** Pass 1, before the store is even opened: the file is whole and this hub's keys open it. */
export async function checkBackup(
  file: string,
  keyring: Keyring,
  dataDir: string,
): Promise<CheckedBackup> {
  if (!existsSync(file)) throw new CliRefusal(`找不到备份文件：${file}`);
  const needed = new Set<string>();
  let header: BackupHeader;
  let counts: Record<string, number>;
  try {
    ({ header, counts } = await readBackup(file, (_db, doc) => {
      const kid = sealedKid(doc);
      if (kid) needed.add(kid);
    }));
  } catch (err) {
    if (err instanceof BackupFileError) throw new CliRefusal(err.message);
    throw err;
  }
  checkKeys(needed, header.keyFingerprints, keyFingerprints(keyring), keyFilePath(dataDir));
  return { file, counts };
}

/** Pass 2: drops every database of the hub and refills them from the checked backup. */
export async function restoreBackup(
  store: GuardedStore,
  backup: CheckedBackup,
): Promise<Record<string, number>> {
  const { file, counts } = backup;
  // Databases the backup does not have are dropped too (a restore gives back the hub as it
  // was, not a mix).
  const server = store.server();
  for (const suffix of await hubDatabases(server, store.prefix)) {
    await dropDatabase(server, `${store.prefix}${suffix}`);
  }
  for (const suffix of Object.keys(counts)) {
    await createDatabase(server, `${store.prefix}${suffix}`);
  }
  let batch: RawDoc[] = [];
  let batchDb = '';
  const flush = async () => {
    await writeDocs(server, `${store.prefix}${batchDb}`, batch);
    batch = [];
  };
  await readBackup(file, async (db, doc) => {
    if (db !== batchDb || batch.length >= 500) await flush();
    batchDb = db;
    batch.push(doc);
  });
  await flush();
  return counts;
}
