/**
 * `migrate --to <COUCHDB_URL>`: copies every database of the hub, with revisions, into a
 * CouchDB (single node or cluster), then verifies that each database has the same documents at
 * the same revisions. Safe to run while the hub serves (and again: copying with the stored
 * revisions is idempotent); the final run, with the hub stopped, is the one whose verification
 * counts (docs/it-guide.md「迁移到 CouchDB」).
 */
import type { ServerScope } from 'nano';
import {
  createDatabase,
  hubDatabases,
  isPositionDoc,
  readDatabase,
  revisionsOf,
  writeDocs,
} from './storeCopy.js';

export interface MigratedDb {
  db: string;
  docs: number;
  /** Documents missing in the target or at another revision (0 when verified). */
  mismatched: string[];
}

export async function copyAndVerify(
  source: ServerScope,
  target: ServerScope,
  prefix: string,
): Promise<MigratedDb[]> {
  const out: MigratedDb[] = [];
  for (const suffix of await hubDatabases(source, prefix)) {
    const name = `${prefix}${suffix}`;
    await createDatabase(target, name);
    await readDatabase(source, name, (docs) =>
      writeDocs(
        target,
        name,
        docs.filter((d) => !isPositionDoc(suffix, d._id)),
      ),
    );
    const want = await revisionsOf(source, name);
    const have = await revisionsOf(target, name);
    const mismatched: string[] = [];
    let docs = 0;
    for (const [id, rev] of want) {
      if (isPositionDoc(suffix, id)) continue;
      docs += 1;
      if (have.get(id) !== rev) mismatched.push(id);
    }
    out.push({ db: suffix, docs, mismatched });
  }
  return out;
}
