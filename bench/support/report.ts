/**
 * Renders docs/benchmarks.md from bench/results/latest.json (full run) and
 * bench/results/latest-quick.json (quick run), with the goal and the ratio beside each figure,
 * and bench/findings.md (hand-written: what was found and changed) included verbatim.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import type { EscalationResult } from '../scenarios/escalationLatency.ts';
import type { HubLoadResult } from '../scenarios/hubLoad.ts';
import type { InitialPullResult } from '../scenarios/initialPull.ts';
import type { LocalQueriesResult } from '../scenarios/localQueries.ts';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGB: number;
  os: string;
  kernel: string;
  node: string;
  chromium: string;
  loadAverageAtStart: number[];
  note: string;
}

export interface BenchResults {
  mode: 'full' | 'quick';
  startedAt: string;
  finishedAt: string;
  durationSec: number;
  machine: Machine;
  sizes: Record<string, unknown>;
  initialPull?: InitialPullResult;
  escalation?: EscalationResult;
  localQueries?: LocalQueriesResult;
  hubLoad?: HubLoadResult;
  errors: Record<string, string>;
  /** Set when a partial run (--only) kept figures of an earlier run started at this instant. */
  mergedWith?: string;
}

export function describeMachine(chromium: string, note: string): Machine {
  let os = 'unknown';
  try {
    os = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
  } catch {
    // not Linux
  }
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os,
    kernel: release(),
    node: process.version,
    chromium,
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
    note,
  };
}

const ok = (pass: boolean | null) => (pass === null ? '—' : pass ? '✅ met' : '❌ not met');
const ms = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${Math.round(v)} ms`;
const num = (v: number) => v.toLocaleString('en-US');
const round1 = (v: number) => Math.round(v * 10) / 10;

function machineBlock(r: BenchResults): string {
  const m = r.machine;
  return [
    `- **When:** ${r.startedAt} – ${r.finishedAt} (${Math.round(r.durationSec)} s, \`${r.mode}\` run)${r.mergedWith ? `; scenarios not re-run keep the figures of the run started ${r.mergedWith}` : ''}`,
    `- **CPU:** ${m.cpuModel}, ${m.cores} cores; **memory:** ${m.memoryGB} GB; **OS:** ${m.os} (kernel ${m.kernel})`,
    `- **Node:** ${m.node}; **Chromium:** ${m.chromium} (headless, Debian package)`,
    `- **Load average at start:** ${m.loadAverageAtStart.join(' / ')}${m.note ? ` — ${m.note}` : ''}`,
    `- **Sizes:** ${Object.entries(r.sizes)
      .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
      .join('; ')}`,
  ].join('\n');
}

function summaryTable(r: BenchResults): string {
  const rows: string[] = ['| # | Measure | Result | Goal | Status |', '|---|---|---|---|---|'];
  const ip = r.initialPull;
  if (ip) {
    rows.push(
      `| 1 | Initial pull, ${num(ip.docs)} cases (product: RxDB + hub pull) | ${num(ip.product.docsPerSec)} docs/s (${ms(ip.product.ms)}) | — | — |`,
      `| 1a | … vs PouchDB replicate (same docs, same store) | ${ip.ratioVsPouch}× (PouchDB ${num(ip.pouchdb.docsPerSec)} docs/s) | ≥ 1.0× | ${ok(ip.ratioVsPouch >= 1)} |`,
      `| 1b | … vs raw \`_changes\` read | ${ip.ratioVsRaw}× (raw ${num(ip.rawChanges.docsPerSec)} docs/s) | ≥ 0.5× | ${ok(ip.ratioVsRaw >= 0.5)} |`,
      `| 2 | No-change sync, ${num(ip.noChange.localCases)} local cases: engine restart p50 / p95 | ${ms(ip.noChange.restart.p50)} / ${ms(ip.noChange.restart.p95)} | ≤ 200 ms | ${ok(ip.noChange.restart.p95 <= 200)} |`,
      `| 2b | … "sync now" on a running engine p50 / p95 | ${ms(ip.noChange.syncNow.p50)} / ${ms(ip.noChange.syncNow.p95)} | ≤ 200 ms | ${ok(ip.noChange.syncNow.p95 <= 200)} |`,
    );
  } else if (r.errors.initialPull)
    rows.push(
      `| 1–2 | Initial pull / no-change sync | failed: ${r.errors.initialPull.slice(0, 200)} | | |`,
    );
  const esc = r.escalation;
  if (esc) {
    rows.push(
      `| 3 | Escalation village → town, p50 / p95 over ${esc.escalations} | ${ms(esc.latencyMs.p50)} / ${ms(esc.latencyMs.p95)}${esc.timedOut ? ` (${esc.timedOut} timed out)` : ''} | p95 ≤ 2 s | ${ok(esc.latencyMs.p95 <= 2000 && esc.timedOut === 0)} |`,
    );
  } else if (r.errors.escalation)
    rows.push(`| 3 | Escalation | failed: ${r.errors.escalation.slice(0, 200)} | | |`);
  // Results recorded before the screens were measured (earlier builds) have no `sizes`.
  const lq = r.localQueries?.sizes ? r.localQueries : undefined;
  if (lq) {
    const last = lq.sizes[lq.sizes.length - 1];
    if (last) {
      const at100k = last.size >= 100_000;
      const before = Object.entries(last.queries).find(([k]) => k.startsWith('before:'));
      const supervisor = Object.entries(last.queries).find(([k]) => k.startsWith('督办'));
      const contains = Object.entries(last.queries).find(([k]) => k.includes('not offered'));
      rows.push(
        `| 4 | Local queries at ${num(last.size)} cases: worst p95 of every screen (workbench, inbox, supervisor, all cases, status filter, searches by number, official number, name prefix, ID) | ${ms(last.worstP95)} | ≤ 100 ms at 100k | ${ok(at100k ? last.worstP95 <= 100 : null)} |`,
      );
      if (before && supervisor)
        rows.push(
          `| 4 | … supervisor deadlines, same run: as earlier builds read them (every open case) vs now | p50 ${ms(before[1].p50)} vs ${ms(supervisor[1].p50)} (${round1(before[1].p50 / Math.max(supervisor[1].p50, 0.1))}× faster) | — (reference) | — |`,
        );
      if (contains)
        rows.push(
          `| 4 | … name *contains* (a full scan; the product searches names by prefix) | p95 ${ms(contains[1].p95)} | — (not offered) | — |`,
        );
    }
    if (lq.memory) {
      rows.push(
        `| 6 | Client memory at ${num(lq.memory.cases)} cases | JS heap peak ${lq.memory.peakJsHeapMB} MB, retained after GC ${lq.memory.retainedJsHeapMB} MB; Chromium tree peak PSS ${lq.memory.chromium.peakRssMB} MB | — (report) | — |`,
      );
    }
  } else if (r.errors.localQueries)
    rows.push(
      `| 4, 6 | Local queries / memory | failed: ${r.errors.localQueries.slice(0, 200)} | | |`,
    );
  const hl = r.hubLoad;
  if (hl) {
    for (const l of hl.live) {
      rows.push(
        `| 5 | Hub, ${l.clients} live clients (${l.newCasesPerSecond} new cases/s): push p95 / delivery to the village's other PC p95 | ${ms(l.pushLatencyMs.p95)} / ${ms(l.peerDeliveryMs.p95)}; hub ${l.hub.cpuPercentOfOneCore}% of a core, ${l.hub.peakRssMB} MB | — (report) | — |`,
      );
    }
    const s = hl.storm;
    rows.push(
      `| 5 | Reconnection storm: ${s.clients} clients × ${s.casesPerClient} offline cases at once — time to convergence | ${s.convergedSec === null ? `not converged in ${s.timeoutSec} s: ${num(s.accepted)} of ${num(s.expected)} accepted (${s.acceptedPerSec}/s; at that rate ≈ ${s.projectedConvergenceSec ?? '—'} s)` : `${s.convergedSec} s`} (all pushes answered ${s.allPushesAnsweredSec ?? '—'} s); hub peak ${s.hub.peakRssMB} MB, ${s.hub.cpuPercentOfOneCore}% of a core | ≤ 60 s | ${ok(s.convergedSec !== null && s.convergedSec <= 60)} |`,
      `| 5 | … accepted cases lost / with duplicated events (of ${num(s.accepted)} accepted) | ${s.lost} / ${s.duplicatedEvents} | 0 | ${ok(s.lost === 0 && s.duplicatedEvents === 0)} |`,
    );
  } else if (r.errors.hubLoad)
    rows.push(`| 5 | Hub load | failed: ${r.errors.hubLoad.slice(0, 200)} | | |`);
  return rows.join('\n');
}

function details(r: BenchResults): string {
  const out: string[] = [];
  const ip = r.initialPull;
  if (ip) {
    out.push(
      `#### Initial pull (${num(ip.docs)} cases, ${ip.avgDocBytes} bytes of JSON on average)`,
      '',
      '| Reader | Time | docs/s | Docs | Notes |',
      '|---|---|---|---|---|',
      `| Product: renderer's sync engine (RxDB 17 replication, hub pull, pages of 1,000) into RxDB Dexie with AES-GCM field encryption | ${ms(ip.product.ms)} | ${num(ip.product.docsPerSec)} | ${num(ip.product.count)} | scope-filtered by the hub (centre agent: county scope); ${ip.ratioVsPouch}× PouchDB, ${ip.ratioVsRaw}× raw |`,
      `| PouchDB 9 \`replicate\` (pouchdb-browser, IndexedDB), default batch ${ip.pouchdb.batchSize} | ${ms(ip.pouchdb.ms)} | ${num(ip.pouchdb.docsPerSec)} | ${num(ip.pouchdb.count)} | straight from the store, admin credentials, no scope (count includes the store's index design doc) |`,
      `| Raw \`_changes?include_docs=true\`, pages of ${ip.rawChanges.pageSize}, parsed, not stored | ${ms(ip.rawChanges.ms)} | ${num(ip.rawChanges.docsPerSec)} | ${num(ip.rawChanges.count)} | ceiling of the store (after one untimed read: the warm store) |`,
      ...(ip.whatIfStorage ?? []).map(
        (w) =>
          `| What-if: the same engine into a fresh database ${w.storage === 'crypto-js' ? "with RxDB's crypto-js field encryption (the product before this run's change)" : 'with no field encryption at all (what encryption costs)'} | ${ms(w.ms)} | ${num(w.docsPerSec)} | ${num(w.count)} | ${w.ratioVsPouch}× PouchDB, ${w.ratioVsRaw}× raw |`,
      ),
      '',
      ...(ip.emptyPull
        ? [
            `An empty pull (checkpoint already at the end), 30 in a row from Node: through the hub p50 ${ms(ip.emptyPull.hubMs.p50)}, p95 ${ms(ip.emptyPull.hubMs.p95)}; the store's own \`_changes\` for the same request p50 ${ms(ip.emptyPull.storeMs.p50)}, p95 ${ms(ip.emptyPull.storeMs.p95)}.`,
            '',
          ]
        : []),
      `Seeding the store with \`_bulk_docs\`: ${ms(ip.seedMs)}.`,
      '',
    );
  }
  // Results recorded before the screens were measured (earlier builds) have no `sizes`.
  const lq = r.localQueries?.sizes ? r.localQueries : undefined;
  if (lq) {
    out.push(
      '#### Local queries — each screen as the renderer queries it (p50 / p95 in ms, rows returned)',
      '',
    );
    const names = Object.keys(lq.sizes[0]?.queries ?? {});
    out.push(
      `| Screen / query | ${lq.sizes.map((s) => `${num(s.size)} cases`).join(' | ')} |`,
      `|---|${lq.sizes.map(() => '---').join('|')}|`,
    );
    for (const n of names) {
      out.push(
        `| ${n} | ${lq.sizes.map((s) => (s.queries[n] ? `${Math.round(s.queries[n].p50)} / ${Math.round(s.queries[n].p95)} (${s.queries[n].rows})` : '—')).join(' | ')} |`,
      );
    }
    out.push(
      `| *(fill time for the step)* | ${lq.sizes.map((s) => `${s.fillSec} s`).join(' | ')} |`,
      '',
    );
    if (lq.memory) {
      const m = lq.memory;
      out.push(
        `#### Client memory at ${num(m.cases)} cases`,
        '',
        `JS heap of the page: peak ${m.peakJsHeapMB} MB while filling and querying (garbage included), ${m.retainedJsHeapMB} MB retained after a full garbage collection at the end. Chromium process tree: peak PSS ${m.chromium.peakRssMB} MB, ${m.chromium.cpuSeconds} s of CPU over ${m.chromium.wallSeconds} s.`,
        '',
      );
    }
  }
  const hl = r.hubLoad;
  if (hl) {
    out.push('#### Hub under load', '', '| Phase | Result |', '|---|---|');
    for (const l of hl.live) {
      out.push(
        `| ${l.clients} live clients, ${l.seconds} s, ${l.newCasesPerSecond} new cases/s | ${l.pushed} pushes: p50 ${ms(l.pushLatencyMs.p50)}, p95 ${ms(l.pushLatencyMs.p95)}; delivery to the other PC of the village p50 ${ms(l.peerDeliveryMs.p50)}, p95 ${ms(l.peerDeliveryMs.p95)} (${l.undelivered} undelivered); ${num(l.pullRequests)} pull requests; hub ${l.hub.cpuSeconds} s CPU (${l.hub.cpuPercentOfOneCore}% of one core), peak ${l.hub.peakRssMB} MB |`,
      );
    }
    const po = hl.pushOnly;
    if (po) {
      out.push(
        `| Pushes alone: ${po.clients} clients × ${po.casesPerClient} new cases, no streams or pulls | ${num(po.accepted)} accepted in ${po.seconds} s = ${po.acceptedPerSec} cases/s; hub ${po.hub.cpuSeconds} s CPU (${po.hub.cpuPercentOfOneCore}% of one core), peak ${po.hub.peakRssMB} MB |`,
      );
    }
    const s = hl.storm;
    out.push(
      `| Storm: ${s.clients} × ${s.casesPerClient} | pushes all answered at ${s.allPushesAnsweredSec ?? '—'} s; every client holding its village's cases at ${s.convergedSec ?? `— (not within ${s.timeoutSec} s; ${s.clientsCaughtUp}/${s.clients} caught up)`} s; ${num(s.accepted)} accepted (${s.acceptedPerSec}/s), ${s.unanswered} unanswered when stopped, ${s.refusedOrConflict} refused or in conflict${s.sampleRefusal ? ` (e.g. ${s.sampleRefusal})` : ''}; store check: ${num(s.found)}/${num(s.expected)} present, ${s.lost} accepted-but-missing, ${s.duplicatedEvents} with duplicated events; ${num(s.pullRequests)} pull requests completed${s.emptyPulls !== undefined ? ` (${num(s.emptyPulls)} with nothing new; p50 ${ms(s.pullLatencyMs?.p50)}, p95 ${ms(s.pullLatencyMs?.p95)})` : ''}, ${s.pullErrors ?? 0} failed or aborted; workflow (official numbers, deadlines) ${s.workflowDrainedSec !== undefined ? (s.workflowDrainedSec === null ? `not caught up within ${s.drainTimeoutSec} s` : `caught up at ${s.workflowDrainedSec} s`) : `backlog after: ${s.workflowBacklogAfter ?? '—'}`}; hub ${s.hub.cpuSeconds} s CPU (${s.hub.cpuPercentOfOneCore}% of one core), peak ${s.hub.peakRssMB} MB |`,
      '',
      `Set-up (units, users, enrolment, logins) took ${hl.setupSec} s and is not measured.`,
      '',
    );
  }
  const errs = Object.entries(r.errors);
  if (errs.length) {
    out.push('#### Errors', '', ...errs.map(([k, v]) => `- **${k}:** ${v.slice(0, 500)}`), '');
  }
  return out.join('\n');
}

function section(title: string, r: BenchResults): string {
  return [`## ${title}`, '', machineBlock(r), '', summaryTable(r), '', details(r)].join('\n');
}

export function renderDocs(resultsDir: string, findingsPath: string): string {
  const read = (f: string): BenchResults | null => {
    const p = `${resultsDir}/${f}`;
    return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as BenchResults) : null;
  };
  const full = read('latest.json');
  const quick = read('latest-quick.json');
  const findings = existsSync(findingsPath) ? readFileSync(findingsPath, 'utf8').trim() : '';
  const parts = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts) from bench/results/*.json and bench/findings.md. Edit findings.md, not this file. -->',
    '',
    'Sync speed, latency, scale and local query speed of Sibantong, side by side with PouchDB on the same data in the same run. ' +
      'These are benchmarks, not timed tests: nothing here fails CI on a slow machine.',
    '',
    '- Full run: `npm run bench` (≈ 11 min on 2 cores). Quick run: `npm run bench -- --quick` (under 3 min, small sizes: a smoke test of the harness, not the figures).',
    '- One scenario: `npm run bench -- --only=initialPull,escalation,localQueries,hubLoad` (comma-separated).',
    '- Raw figures: `bench/results/latest.json` (full) and `bench/results/latest-quick.json` (quick). After editing `bench/findings.md`: `npm run bench -- --render-only`.',
    '',
    "**What is measured.** Every client-side figure uses the renderer's own code imported into a bench page (bench/page): " +
      '`openDatabase` (RxDB 17 + Dexie + AES-GCM field encryption on WebCrypto), enrolment, login and `startSync` with its pull/push handlers and SSE stream. ' +
      'The hub is the real `sibantong-hub serve` process with its embedded store (express-pouchdb on LevelDB) on a temporary data folder. ' +
      'The PouchDB baseline replicates the very same database from the very same store. Hub-load clients are simulated in Node ' +
      '(bench/support/simClient.ts) speaking the hub API like the renderer does (SSE-triggered pulls of 1,000, pushes of 100).',
    '',
  ];
  if (findings) parts.push(findings, '');
  if (full) parts.push(section('Latest full run', full), '');
  else parts.push('## Latest full run', '', '_No full run recorded yet: run `npm run bench`._', '');
  if (quick)
    parts.push(section('Latest quick run (small sizes; smoke test of the harness)', quick), '');
  return parts.join('\n');
}

export { loadavg };
