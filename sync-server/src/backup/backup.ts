/** `backup`: every database of the hub, read while it runs (storeCopy.ts says why consistent). */
import type { GuardedStore } from '../store/guardedStore.js';
import { BackupWriter, keyFingerprints } from './backupFile.js';
import { hubDatabases, isPositionDoc, readDatabase } from './storeCopy.js';

export async function takeBackup(
  store: GuardedStore,
  file: string,
  now: () => string = () => new Date().toISOString(),
): Promise<Record<string, number>> {
  const server = store.server();
  const writer = new BackupWriter(file, {
    format: 'sibantong-hub-backup',
    version: 1,
    createdAt: now(),
    storeKind: store.kind,
    prefix: store.prefix,
    keyFingerprints: keyFingerprints(store.keyring),
  });
  try {
    for (const suffix of await hubDatabases(server, store.prefix)) {
      writer.noteDatabase(suffix);
      await readDatabase(server, `${store.prefix}${suffix}`, (docs) =>
        writer.add(
          suffix,
          docs.filter((d) => !isPositionDoc(suffix, d._id)),
        ),
      );
    }
    await writer.finish();
    return writer.counts;
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
