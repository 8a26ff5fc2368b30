/**
 * Job `caseDeadlines`: the legal and promised deadlines of an accepted case on hub time,
 * computed by shared `computeCaseDeadlines` with the store's calendar (the same computation a
 * PC shows before the hub's copy arrives). A deadline reaching a year IT has not imported is
 * written provisional (暂估), marked (provisionalMarks.ts) and recomputed when the year
 * arrives (calendarRecompute.ts).
 * Written only when it changes.
 */
import { computeCaseDeadlines, sameDeadlines, type CaseDoc } from '@sibantong/shared';
import type { RefSnapshot } from '../../domain/refData.js';
import { markProvisional, unmarkProvisional } from '../provisionalMarks.js';
import { failureCollector, type CasePatch, type WorkflowJob } from './jobTypes.js';

/** The case's deadlines on the hub's reference data (pure). */
export function deadlinesOf(doc: CaseDoc, ref: RefSnapshot, now: Date) {
  const matter = ref.matters.get(doc.matterCode);
  const limits =
    matter && typeof matter.legalDays === 'number' && typeof matter.promisedDays === 'number'
      ? { legalDays: matter.legalDays, promisedDays: matter.promisedDays }
      : undefined;
  return computeCaseDeadlines({ events: doc.events, limits, calendar: ref.calendar, now });
}

export const caseDeadlinesJob: WorkflowJob = {
  name: 'caseDeadlines',
  appliesTo: (doc) => doc.events.some((e) => e.type === 'accept'),
  async run(docs, ctx) {
    const { failures, fail } = failureCollector();
    const patches = new Map<string, CasePatch>();
    const mark: string[] = [];
    const unmark: string[] = [];
    for (const doc of docs) {
      try {
        const deadlines = deadlinesOf(doc, ctx.ref, ctx.now);
        if (deadlines === null || sameDeadlines(doc.deadlines, deadlines)) continue;
        patches.set(doc.id, { deadlines });
        if (deadlines.provisional) mark.push(doc.id);
        else if (doc.deadlines?.provisional) unmark.push(doc.id);
      } catch (err) {
        fail(doc.id, err);
      }
    }
    // Marks before the case write, so no provisional case is ever without its mark.
    try {
      await markProvisional(ctx.store, mark);
      await unmarkProvisional(ctx.store, unmark);
    } catch (err) {
      for (const id of [...mark, ...unmark]) {
        patches.delete(id);
        fail(id, err);
      }
    }
    return { patches, failures };
  },
};
