/**
 * Renders docs/benchmarks.md from bench/results/latest.json (complete full run) and
 * bench/results/latest-quick.json (complete quick run), stores side by side (embedded store,
 * CouchDB single node, CouchDB 3-node cluster), every figure as its median with the spread of
 * its samples, the goal beside it, the machine's measured load at the top; and
 * bench/findings.md (hand-written: what was found and changed) included verbatim.
 * Partial runs (`*-partial.json`) are never rendered here.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { AttachmentsSyncResult } from '../scenarios/attachmentsSync.ts';
import type { EscalationResult } from '../scenarios/escalationLatency.ts';
import type { HubLoadResult } from '../scenarios/hubLoad.ts';
import type { InitialPullResult } from '../scenarios/initialPull.ts';
import type { LocalQueriesResult } from '../scenarios/localQueries.ts';
import type { ReverseScheduleResult } from '../scenarios/reverseSchedule.ts';
import type { ProjectListResult } from '../scenarios/projectList.ts';
import type { StoreKind } from './couch.ts';
import { loadDuringSummary, type Machine } from './machine.ts';
import type { Spread } from './stats.ts';

/** Version of the results file; files of the older harness (no `schema`) are not rendered. */
export const RESULTS_SCHEMA = 2;

export interface StoreResults {
  label: string;
  initialPull?: InitialPullResult;
  escalation?: EscalationResult;
  hubLoad?: HubLoadResult;
  attachments?: AttachmentsSyncResult;
}

export interface BenchResults {
  schema: number;
  mode: 'full' | 'quick';
  /** --only, fewer stores or fewer than 3 samples: never rendered as the report. */
  partial: boolean;
  scenarios: string[];
  storeKinds: StoreKind[];
  samples: number;
  startedAt: string;
  /** Empty while the run is going on (or when it was interrupted). */
  finishedAt: string;
  durationSec: number;
  machine: Machine;
  sizes: Record<string, unknown>;
  /** Hub settings given beyond the defaults (`BENCH_HUB_ENV`); any makes the run partial. */
  hubSettings?: Record<string, string>;
  stores: Partial<Record<StoreKind, StoreResults>>;
  twoHubs?: HubLoadResult;
  /** The storm on the cluster with node 2 killed and restarted mid-run. */
  clusterNodeKill?: HubLoadResult;
  localQueries?: LocalQueriesResult;
  reverseSchedule?: ReverseScheduleResult;
  projectList?: ProjectListResult;
  errors: Record<string, string>;
}

const KIND_TITLE: Record<StoreKind, string> = {
  embedded: 'embedded store',
  couchdb: 'CouchDB, 1 node',
  cluster: 'CouchDB, 3-node cluster',
};

const mark = (pass: boolean | null) => (pass === null ? '' : pass ? ' ✅' : ' ❌');
const num = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US') : '—');
const ms = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${num(Math.round(v))} ms`;
const fixed = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '—');

/** `median (min–max)` with a unit; `—` when there are no samples. */
function sp(s: Spread | null | undefined, unit: 'ms' | 's' | 'msCpu' = 'ms'): string {
  if (!s || s.n === 0 || !Number.isFinite(s.median)) return '—';
  const f = (v: number) =>
    unit === 'ms' ? num(Math.round(v)) : unit === 's' ? fixed(v, 1) : fixed(v, 2);
  const u = unit === 's' ? ' s' : ' ms';
  return `${f(s.median)}${u} (${f(s.min)}–${f(s.max)}, n=${s.n})`;
}

const ratio = (v: number, goal: number | null) =>
  Number.isFinite(v) ? `${v.toFixed(2)}×${goal === null ? '' : mark(v >= goal)}` : '—';

function machineBlock(r: BenchResults): string {
  const m = r.machine;
  const during = loadDuringSummary(m);
  const lines = [
    `- **When:** ${r.startedAt} – ${r.finishedAt || '(not finished)'} (${Math.round(r.durationSec)} s, one uninterrupted \`${r.mode}\` run; ${r.samples} samples per figure)`,
    `- **CPU:** ${m.cpuModel}, ${m.cores} cores; **memory:** ${m.memoryGB} GB (${m.freeMemoryGBAtStart} GB free at start); **OS:** ${m.os} (kernel ${m.kernel})`,
    `- **Node:** ${m.node}; **Chromium:** ${m.chromium || '—'} (headless, Debian package)`,
    `- **Load average (1 / 5 / 15 min), measured by the harness:** at start ${m.loadAtStart.join(' / ')}; during the run (1 min, every ${m.loadEverySec} s, ${m.loadDuring.length} samples) mean ${during?.mean ?? '—'}, max ${during?.max ?? '—'}; at end ${m.loadAtEnd?.join(' / ') ?? '—'}${m.note ? ` — note: ${m.note}` : ''}`,
    `- **Sizes:** ${Object.entries(r.sizes)
      .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
      .join('; ')}`,
  ];
  if (m.busyAtStart || (during && during.max > 0.5 * m.cores))
    lines.unshift(
      `> ⚠️ **Busy machine:** load ${m.loadAtStart[0]} at start${during ? ` (max ${during.max} during the run)` : ''} on ${m.cores} cores, above half the cores: absolute figures are this busy machine's; read the ratios measured in the same run.`,
      '',
    );
  return lines.join('\n');
}

type Row = [string, ...string[]];

/** The hub scenarios, one column per store. */
function storesTable(r: BenchResults): string {
  const kinds = r.storeKinds.filter((k) => r.stores[k]);
  if (kinds.length === 0) return '';
  const cols = kinds.map((k) => r.stores[k]!);
  const rows: Row[] = [];
  const add = (label: string, f: (s: StoreResults) => string) =>
    rows.push([label, ...cols.map((c) => f(c))]);
  const ip = (s: StoreResults) => s.initialPull;
  const docs = cols.map((c) => c.initialPull?.docs).find((d) => d !== undefined);
  if (cols.some(ip)) {
    add(
      `Initial pull of ${num(docs ?? 0)} cases — product (renderer's engine, hub pull, pages of 1,000)`,
      (s) => sp(ip(s)?.productMs),
    );
    add("… PouchDB 9 `replicate`, `batch_size` 1,000 (the product's page size)", (s) =>
      sp(ip(s)?.pouchdb.find((p) => p.batchSize === 1000)?.ms),
    );
    add("… PouchDB 9 `replicate`, `batch_size` 100 (PouchDB's default)", (s) =>
      sp(ip(s)?.pouchdb.find((p) => p.batchSize === 100)?.ms),
    );
    add('… raw `_changes?include_docs=true`, pages of 1,000 (warm store)', (s) => sp(ip(s)?.rawMs));
    add('**Product vs PouchDB at equal batch** (goal ≥ 1.5×)', (s) =>
      ratio(ip(s)?.ratioVsPouchEqualBatch ?? NaN, 1.5),
    );
    add('Product vs PouchDB at its default batch (reference only)', (s) =>
      ratio(ip(s)?.ratioVsPouchDefault ?? NaN, null),
    );
    add('**Product vs raw read** (goal ≥ 0.5×)', (s) => ratio(ip(s)?.ratioVsRaw ?? NaN, 0.5));
    add('Hub CPU per pulled case (hub process alone)', (s) =>
      sp(ip(s)?.hubCpuMsPerPulledCase, 'msCpu'),
    );
    add('Store CPU per pulled case (embedded store child / CouchDB nodes)', (s) =>
      sp(ip(s)?.storeCpuMsPerPulledCase, 'msCpu'),
    );
    add('No-change sync, engine restart (goal ≤ 200 ms, judged on the slowest round)', (s) => {
      const v = ip(s)?.noChange.restart;
      return v ? `${sp(v)}${mark(v.max <= 200)}` : '—';
    });
    add('No-change sync, "sync now" (goal ≤ 200 ms, slowest round)', (s) => {
      const v = ip(s)?.noChange.syncNow;
      return v ? `${sp(v)}${mark(v.max <= 200)}` : '—';
    });
  }
  if (cols.some((c) => c.escalation))
    add('Escalation village → town: median (min–max), p95 (goal p95 ≤ 2 s)', (s) => {
      const e = s.escalation;
      return e
        ? `${sp(e.latency)}; p95 ${ms(e.latencyMs.p95)}${mark(e.latencyMs.p95 <= 2000 && e.timedOut === 0)}${e.timedOut ? ` (${e.timedOut} timed out)` : ''}`
        : '—';
    });
  if (cols.some((c) => c.attachments)) {
    const a0 = cols.map((c) => c.attachments).find(Boolean)!;
    add(
      `Case events of ${num(a0.cases)} cases beside ${num(a0.pages)} scanned pages of ${Math.round(a0.pageBytes / 1024)} KB uploading, vs alone`,
      (s) =>
        s.attachments
          ? `${ms(s.attachments.caseEventsMs)} vs ${ms(s.attachments.caseEventsAloneMs)}`
          : '—',
    );
    add('… acceptances during the upload backlog: p50 / p95', (s) =>
      s.attachments
        ? `${ms(s.attachments.acceptanceMs.p50)} / ${ms(s.attachments.acceptanceMs.p95)}`
        : '—',
    );
    add('… all pages uploaded (throughput)', (s) =>
      s.attachments
        ? `${ms(s.attachments.attachmentsMs)} (${s.attachments.attachmentMBps.toFixed(1)} MB/s)${s.attachments.refused ? `; ${s.attachments.refused} refused` : ''}`
        : '—',
    );
  }
  if (cols.some((c) => c.hubLoad)) {
    const st = cols.map((c) => c.hubLoad?.storm.samples[0]).find(Boolean);
    const shape = st
      ? `${st.clients} devices × ${Math.round(st.expected / st.clients)} rows (${num(st.newCases)} new, ${num(st.edits)} edits/hand-offs)`
      : '';
    add(`**Storm ${shape}: converged and numbered** (goal ≤ 60 s)`, (s) => {
      const h = s.hubLoad;
      if (!h) return '—';
      const failed = h.storm.samples.filter((x) => x.completeSec === null).length;
      return `${sp(h.storm.completeSec, 's')}${failed ? `; ${failed} of ${h.storm.samples.length} not complete in time` : ''}${mark(failed === 0 && h.storm.completeSec.max <= 60)}`;
    });
    add('… every device holding every change of its village', (s) =>
      sp(s.hubLoad?.storm.convergedSec, 's'),
    );
    add('… every case with its official number and deadlines (workflow caught up)', (s) =>
      sp(s.hubLoad?.storm.numberedSec, 's'),
    );
    add('… lost / duplicated events / duplicated official numbers (goal 0)', (s) => {
      const h = s.hubLoad?.storm;
      return h
        ? `${h.lost} / ${h.duplicatedEvents} / ${h.duplicatedOfficialNos}${mark(h.lost + h.duplicatedEvents + h.duplicatedOfficialNos === 0)}`
        : '—';
    });
    add(
      'Hub CPU per pushed case during the storm (hub process alone; its pushes, pulls and workflow)',
      (s) => sp(s.hubLoad?.storm.hubCpuMsPerPushedCase, 'msCpu'),
    );
    add('Store CPU per pushed case during the storm (embedded store child / CouchDB nodes)', (s) =>
      sp(s.hubLoad?.storm.storeCpuMsPerPushedCase, 'msCpu'),
    );
    add(
      "Live clients: delivery to the village's other PC, p50 / p95",
      (s) =>
        (s.hubLoad?.live ?? [])
          .map((l) => `${l.clients}: ${ms(l.peerDeliveryMs.p50)} / ${ms(l.peerDeliveryMs.p95)}`)
          .join('; ') || '—',
    );
  }
  const head = `| Measure | ${kinds.map((k) => KIND_TITLE[k]).join(' | ')} |`;
  const sep = `|---|${kinds.map(() => '---').join('|')}|`;
  return [
    'Every cell: median (min–max, n samples). ✅/❌: goal met/not met on this run.',
    '',
    head,
    sep,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    ...kinds.map((k) => `- **${KIND_TITLE[k]}:** ${r.stores[k]!.label}`),
  ].join('\n');
}

function stormDetails(title: string, h: HubLoadResult): string {
  const out = [
    `#### Storm samples — ${title}${h.storm.hubs > 1 ? ` (two hub processes behind one round-robin address; requests per hub ${h.storm.requestsPerHub?.map(num).join(' / ') ?? '—'})` : ''}`,
    '',
    '| # | rows (new + edits) | edits by kind | answered | converged | numbered | accepted | refused/conflict | lost | dup. events | dup. official nos | pulls (empty; by scan) p95 | pull errors | hub CPU (per case) | store CPU |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  h.storm.samples.forEach((s, i) => {
    out.push(
      `| ${i + 1} | ${num(s.expected)} (${num(s.newCases)} + ${num(s.edits)}) | ${Object.entries(
        s.editKinds,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )} | ${s.allPushesAnsweredSec ?? '—'} s | ${s.convergedSec ?? `— (${s.clientsCaughtUp}/${s.clients} caught up in ${s.timeoutSec} s)`} s | ${s.numberedSec ?? `— (${num(s.notNumbered)} left after ${s.drainTimeoutSec} s)`} s | ${num(s.accepted)} | ${s.refusedOrConflict}${s.sampleRefusal ? ` (${s.sampleRefusal.slice(0, 80)})` : ''} | ${s.lost + s.lostEdits} | ${s.duplicatedEvents} | ${s.duplicatedOfficialNos} | ${num(s.pullRequests)} (${num(s.emptyPulls)}${s.scanPulls === undefined ? '' : `; ${num(s.scanPulls)}`}) ${ms(s.pullLatencyMs.p95)} | ${s.pullErrors} | ${s.hubCpuSec} s (${s.hubCpuMsPerPushedCase ?? '—'} ms) | ${s.storeCpuSec === null ? '—' : `${s.storeCpuSec} s`} |`,
    );
  });
  if (h.pushOnly)
    out.push(
      '',
      `Pushes alone (${h.pushOnly.clients} clients × ${h.pushOnly.casesPerClient} new cases, no streams or pulls): ${num(h.pushOnly.accepted)} accepted in ${h.pushOnly.seconds} s = ${h.pushOnly.acceptedPerSec} cases/s; hub and store ${h.pushOnly.hub.cpuSeconds} s CPU.`,
    );
  for (const l of h.live)
    out.push(
      '',
      `${l.clients} live clients, ${l.seconds} s, ${l.newCasesPerSecond} new cases/s: push p50 ${ms(l.pushLatencyMs.p50)}, p95 ${ms(l.pushLatencyMs.p95)}; delivery to the village's other PC p50 ${ms(l.peerDeliveryMs.p50)}, p95 ${ms(l.peerDeliveryMs.p95)} (${l.undelivered} undelivered); hub and store ${l.hub.cpuSeconds} s CPU, peak ${l.hub.peakRssMB} MB.`,
    );
  out.push(
    '',
    `Set-up (units, users, enrolment, logins) took ${h.setupSec} s and is not measured.`,
    '',
  );
  return out.join('\n');
}

function localQueriesBlock(lq: LocalQueriesResult): string {
  const out: string[] = [
    '#### Local queries — each screen as the renderer queries it (p50 / p95 in ms over the repetitions, rows returned)',
    '',
  ];
  const names = Object.keys(lq.sizes[0]?.queries ?? {});
  out.push(
    `| Screen / query | ${lq.sizes.map((s) => `${num(s.size)} cases`).join(' | ')} |`,
    `|---|${lq.sizes.map(() => '---').join('|')}|`,
  );
  for (const n of names)
    out.push(
      `| ${n} | ${lq.sizes.map((s) => (s.queries[n] ? `${Math.round(s.queries[n].p50)} / ${Math.round(s.queries[n].p95)} (${s.queries[n].rows})` : '—')).join(' | ')} |`,
    );
  const last = lq.sizes[lq.sizes.length - 1];
  out.push(
    `| *(fill time for the step)* | ${lq.sizes.map((s) => `${s.fillSec} s`).join(' | ')} |`,
    '',
  );
  if (last)
    out.push(
      `Worst p95 of the product's screens at ${num(last.size)} cases: ${ms(last.worstP95)} (goal ≤ 100 ms at 100,000${last.size >= 100_000 ? mark(last.worstP95 <= 100) : ': not reached by this run'}).`,
      '',
    );
  if (lq.memory)
    out.push(
      `Client memory at ${num(lq.memory.cases)} cases: JS heap peak ${lq.memory.peakJsHeapMB} MB (garbage included), ${lq.memory.retainedJsHeapMB} MB retained after a full garbage collection; Chromium process tree peak PSS ${lq.memory.chromium.peakRssMB} MB.`,
      '',
    );
  return out.join('\n');
}

function section(title: string, r: BenchResults): string {
  const out = [`## ${title}`, '', machineBlock(r), '', storesTable(r), ''];
  for (const k of r.storeKinds) {
    const h = r.stores[k]?.hubLoad;
    if (h) out.push(stormDetails(KIND_TITLE[k], h));
  }
  if (r.twoHubs) {
    const t = r.twoHubs.storm;
    out.push(
      `#### Two hubs on one CouchDB (${KIND_TITLE[r.twoHubs.store]}), storm through one round-robin address`,
      '',
      `Converged and numbered: ${sp(t.completeSec, 's')}; lost ${t.lost}, duplicated events ${t.duplicatedEvents}, **duplicated official numbers ${t.duplicatedOfficialNos}** (goal 0${mark(t.duplicatedOfficialNos === 0 && t.lost === 0)}).`,
      '',
      stormDetails(`two hubs, ${KIND_TITLE[r.twoHubs.store]}`, r.twoHubs),
    );
  }
  if (r.clusterNodeKill) {
    const t = r.clusterNodeKill.storm;
    out.push(
      '#### Storm on the 3-node cluster with node 2 killed (SIGKILL) and restarted mid-run',
      '',
      `${t.samples.map((s, i) => `Sample ${i + 1}: ${s.nodeEvents.join(', ') || 'no node event'}`).join('; ')}. Converged and numbered: ${sp(t.completeSec, 's')}; lost ${t.lost}, duplicated events ${t.duplicatedEvents}, duplicated official numbers ${t.duplicatedOfficialNos} (goal 0${mark(t.lost + t.duplicatedEvents + t.duplicatedOfficialNos === 0)}).`,
      '',
      stormDetails('cluster, node killed', r.clusterNodeKill),
    );
  }
  const rs = r.reverseSchedule;
  if (rs)
    out.push(
      '#### Reverse schedule (倒排时间表)',
      '',
      `${rs.matters} matters in a layered dependency graph: \`reverseSchedule\` p50 ${rs.scheduleMs.p50} ms, p95 ${rs.scheduleMs.p95} ms (first call ${rs.firstMs} ms); fold of the project's events + schedule p50 ${rs.projectMs.p50} ms, p95 ${rs.projectMs.p95} ms, over ${rs.scheduleMs.n} repetitions. Goal: the schedule well under 50 ms, judged on its p95${mark(rs.scheduleMs.p95 < 50)}. Critical path ${rs.criticalPathLength} matters.`,
      '',
    );
  const pl = r.projectList;
  if (pl)
    out.push(
      '#### Project list (重大项目)',
      '',
      `${num(pl.projects)} projects on the product's database code (RxDB + Dexie + AES-GCM, fake-indexeddb in Node): opening the list (first page of 50 by the stored risk, with the count) p50 ${pl.openMs.p50} ms, p95 ${pl.openMs.p95} ms over ${pl.openMs.n} repetitions (goal p95 ≤ 100 ms${mark(pl.openMs.p95 <= 100)}); every project folded and ranked, as the list did before, p50 ${pl.beforeMs.p50} ms, p95 ${pl.beforeMs.p95} ms.`,
      '',
    );
  if (r.localQueries?.sizes) out.push(localQueriesBlock(r.localQueries));
  const errs = Object.entries(r.errors);
  if (errs.length)
    out.push('#### Errors', '', ...errs.map(([k, v]) => `- **${k}:** ${v.slice(0, 500)}`), '');
  return out.join('\n');
}

function readResults(resultsDir: string, file: string): BenchResults | null {
  const p = `${resultsDir}/${file}`;
  if (!existsSync(p)) return null;
  const r = JSON.parse(readFileSync(p, 'utf8')) as Partial<BenchResults>;
  return r.schema === RESULTS_SCHEMA && !r.partial ? (r as BenchResults) : null;
}

export function renderDocs(resultsDir: string, findingsPath: string): string {
  const full = readResults(resultsDir, 'latest.json');
  const quick = readResults(resultsDir, 'latest-quick.json');
  const findings = existsSync(findingsPath) ? readFileSync(findingsPath, 'utf8').trim() : '';
  const parts = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts) from bench/results/*.json and bench/findings.md. Edit findings.md, not this file. -->',
    '',
    "Sync speed, latency, scale and local query speed of Sibantong, side by side with PouchDB on the same data in the same run, on three stores: the hub's embedded store, a CouchDB single node and a 3-node CouchDB cluster. " +
      'These are benchmarks, not timed tests: nothing here fails CI on a slow machine.',
    '',
    '- Full run: `npm run bench` (all scenarios, all three stores, 3 samples per figure: about 2¾ hours on 2 cores (the complete run of 2026-12-05 took 164 minutes), most of it the storms on CouchDB and the cluster; give it an idle machine). Quick run: `npm run bench -- --quick` (small sizes: a smoke test of the harness, not the figures).',
    '- Partial runs (`--only=reverseSchedule,initialPull,escalation,localQueries,hubLoad,twoHubs,clusterNodeKill,attachments,projectList`, `--store=embedded,couchdb,cluster`, `--samples=N` below 3) write `bench/results/latest[-quick]-partial.json` and never replace the report.',
    '- Raw figures: `bench/results/latest.json` (full) and `bench/results/latest-quick.json` (quick), every sample kept. After editing `bench/findings.md`: `npm run bench -- --render-only`.',
    '',
    "**What is measured.** Every client-side figure uses the renderer's own code imported into a bench page (bench/page): " +
      '`openDatabase` (RxDB 17 + Dexie + AES-GCM field encryption on WebCrypto), enrolment, login and `startSync` with its pull/push handlers and SSE stream. ' +
      'The hub is the real `sibantong-hub serve` process, on its embedded store (express-pouchdb on LevelDB) or given `COUCHDB_URL` (CouchDB 3.5 from ../shared/tools/couchdb, started by the harness). ' +
      "The PouchDB baseline replicates the very same database from the very same store, at the product's page size (1,000) and at its own default (100); the ratio that judges the goal is the equal-batch one. " +
      'Hub-load clients are simulated in Node (bench/support/simClient.ts) speaking the hub API like the renderer does (SSE-triggered pulls of 1,000, pushes of 100, edits sent with the pulled version as assumed master state). ' +
      "The storm's figure runs until every device holds every change of its village **and** every case has its official number and deadlines in the store. " +
      "CPU per case is the hub process's own CPU time from /proc (utime + stime) over the measured window. The machine's load is recorded by the harness.",
    '',
  ];
  if (findings) parts.push(findings, '');
  if (full) parts.push(section('Latest full run', full), '');
  else
    parts.push(
      '## Latest full run',
      '',
      '_No complete full run of the current harness recorded yet: run `npm run bench` on an idle machine._',
      '',
    );
  if (quick)
    parts.push(
      section('Latest quick run (small sizes; smoke test of the harness, not the figures)', quick),
      '',
    );
  return parts.join('\n');
}
