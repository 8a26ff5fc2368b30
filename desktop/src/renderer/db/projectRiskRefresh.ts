import type { ProjectDoc } from '@sibantong/shared';
import type { AppDatabase } from './database';
import {
  projectLocalFieldsOf,
  riskContextFor,
  withoutLocalProjectFields,
  type StoredProject,
} from './projectLocalFields';
import { projectStoreOf } from './projectsCollection';

/**
 * Keeps the stored risk of every project current (projectLocalFields.ts): a latest start
 * passes with the date, and a linked case moves without the project changing. Runs in the
 * background when a project list opens (the list shows the stored order at once), in slices
 * so the screen stays responsive; writes only the projects whose risk changed.
 */
const SLICE = 100;
const EVERY_MS = 5 * 60_000;
const lastRun = new WeakMap<AppDatabase, { at: number; day: string }>();
const yieldToScreen = () => new Promise<void>((r) => setTimeout(r, 0));

export async function refreshProjectRisks(
  db: AppDatabase,
  now: Date = new Date(),
  force = false,
): Promise<number> {
  const store = projectStoreOf(db);
  if (!store) return 0;
  const all = (await store.projects.find().exec()).map(
    (d) => d.toJSON() as unknown as StoredProject,
  );
  const ctx = await riskContextFor(db, all, now);
  const last = lastRun.get(db);
  if (!force && last && last.day === ctx.today && Date.now() - last.at < EVERY_MS) return 0;
  lastRun.set(db, { at: Date.now(), day: ctx.today });
  let changed = 0;
  for (let i = 0; i < all.length; i += SLICE) {
    for (const doc of all.slice(i, i + SLICE)) {
      let fields;
      try {
        fields = projectLocalFieldsOf(withoutLocalProjectFields(doc) as ProjectDoc, ctx);
      } catch {
        continue;
      }
      if (
        fields.riskKey === doc.riskKey &&
        fields.riskDay === doc.riskDay &&
        JSON.stringify(fields.risk) === JSON.stringify(doc.risk)
      )
        continue;
      const rx = await store.projects.findOne(doc.id).exec();
      // The save hook computes the same fields again on the stored events (a change that
      // arrived meanwhile included).
      await rx?.incrementalModify((d) => d);
      changed += 1;
    }
    await yieldToScreen();
  }
  return changed;
}
