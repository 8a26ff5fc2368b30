/**
 * The project list with 2,000 projects on the client (goal: opens p95 ≤ 100 ms). The product's
 * database code (RxDB + Dexie + AES-GCM at rest, `openDatabase` + `addProjectCollections`) on
 * fake-indexeddb in Node, filled with copies of the three demo projects (each with its own id
 * and name) through the product's write path, so each copy's stored risk (`riskKey`, see
 * desktop/src/renderer/db/projectLocalFields.ts) is computed as on a PC.
 *
 * Measured per repetition:
 * - `open`: what the list runs on opening — the first page (50) sorted by the stored risk on
 *   its index, read from storage (a query RxDB's cache has not seen, as on a fresh start:
 *   storage query + decryption of the page) and turned into rows, plus the count;
 * - `before`: the list as it was — every project read, folded, scheduled and ranked.
 *
 * Alone: `node --import tsx bench/scenarios/projectList.ts [projects] [repetitions]`.
 */
import 'fake-indexeddb/auto';
import { fileURLToPath } from 'node:url';
import type { RxCollection } from 'rxdb';
import {
  buildDemoProjects,
  chinaDate,
  compareProjectRisk,
  deriveProjectState,
  projectRisk,
  seedCalendar,
  type ProjectDoc,
} from '@sibantong/shared';
import { openDatabase } from '../../desktop/src/renderer/db/database.ts';
import {
  addProjectCollections,
  requireProjectStore,
} from '../../desktop/src/renderer/db/projectsCollection.ts';
import type { StoredProject } from '../../desktop/src/renderer/db/projectLocalFields.ts';
import { summarize, type Summary } from '../support/stats.ts';

export interface ProjectListResult {
  projects: number;
  fillSec: number;
  /** First page (50) by stored risk, from storage, with the count. */
  openMs: Summary;
  /** Every project folded, scheduled and ranked (the list before the stored risk). */
  beforeMs: Summary;
}

const PAGE = 50;

function copies(count: number, today: string): ProjectDoc[] {
  const demo = buildDemoProjects(today);
  const out: ProjectDoc[] = [];
  for (let i = 0; i < count; i += 1) {
    const base = demo[i % demo.length]!;
    const id = `${base.id}-${String(i).padStart(5, '0')}`;
    out.push({
      ...base,
      id,
      name: `${base.name}（${i}）`,
      events: base.events.map((e) => ({ ...e, projectId: id }) as typeof e),
    });
  }
  return out;
}

export async function projectListBench(count = 2000, reps = 30): Promise<ProjectListResult> {
  const deviceId = `BENCH${Date.now().toString(36)}`.toUpperCase();
  const db = await addProjectCollections(
    await openDatabase(deviceId, 'bench-data-key-0123456789abcdef'),
  );
  try {
    const { projects } = requireProjectStore(db);
    const t0 = performance.now();
    const docs = copies(count, chinaDate(new Date()));
    for (let i = 0; i < docs.length; i += 200) await projects.bulkInsert(docs.slice(i, i + 200));
    const fillSec = (performance.now() - t0) / 1000;

    const collection = projects as unknown as RxCollection<StoredProject>;
    const open: number[] = [];
    const before: number[] = [];
    const calendar = seedCalendar;
    for (let r = 0; r < reps; r += 1) {
      const a = performance.now();
      // A limit not asked before: RxDB's query cache cannot answer, the storage runs the query.
      const page = await collection
        .find({ selector: { riskKey: { $gte: '' } }, sort: [{ riskKey: 'asc' }], limit: PAGE + r })
        .exec();
      const rows = page.slice(0, PAGE).map((d) => ({ id: d.id, name: d.name, risk: d.risk }));
      const total = await collection.count().exec();
      open.push(performance.now() - a);
      if (rows.length !== Math.min(PAGE, count) || total !== count) {
        throw new Error(`project list read ${rows.length} rows of ${total}`);
      }

      const b = performance.now();
      const all = (await collection.find().exec()).map((d) => d.toJSON() as unknown as ProjectDoc);
      const today = chinaDate(new Date());
      all
        .map((d) => ({
          d,
          risk: projectRisk(deriveProjectState(d.events), new Map(), today, calendar),
        }))
        .sort((x, y) => compareProjectRisk(x.risk, y.risk));
      before.push(performance.now() - b);
    }
    return {
      projects: count,
      fillSec: Math.round(fillSec * 10) / 10,
      openMs: summarize(open),
      beforeMs: summarize(before),
    };
  } finally {
    await db.remove();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? 2000);
  const reps = Number(process.argv[3] ?? 30);
  projectListBench(count, reps)
    .then((r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
