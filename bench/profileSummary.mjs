#!/usr/bin/env node
/**
 * Where a CPU profile's time went, as text for bench/findings.md:
 * `node bench/profileSummary.mjs <file.cpuprofile> [top]`.
 *
 * Three tables of the profile's own samples: self time by area (an npm package, a folder of this
 * repository, Node's internals, and V8's `(garbage collector)` / `(idle)` / `(program)`), self
 * time by function, and inclusive time by function (a function counted once per sample however
 * deep it recurses). Made for profiles taken with bench/profileProcess.mjs.
 */
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profileSummary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** Time of each sampled node, microseconds. */
const timeOf = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  timeOf.set(id, (timeOf.get(id) ?? 0) + dt);
  total += dt;
});

function areaOf(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const repo = /\/(sync-server|shared|bench|desktop)\/(?:src\/)?([^/]+)\//.exec(url);
  return repo ? `${repo[1]}/${repo[2]}` : url.split('/').slice(-2).join('/');
}

const label = (cf) =>
  cf.url
    ? `${cf.functionName || '(anonymous)'} ${areaOf(cf.url, '')}: ${cf.url.split('/').pop()}:${cf.lineNumber + 1}`
    : cf.functionName || '(native)';

const area = new Map();
const self = new Map();
const inclusive = new Map();
const add = (m, k, t) => m.set(k, (m.get(k) ?? 0) + t);
for (const [id, t] of timeOf) {
  const cf = byId.get(id).callFrame;
  add(area, areaOf(cf.url, cf.functionName), t);
  add(self, label(cf), t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = label(byId.get(cur).callFrame);
    if (!seen.has(k)) {
      seen.add(k);
      add(inclusive, k, t);
    }
  }
}

const table = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(
      `${(t / 1000).toFixed(0).padStart(8)} ms ${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`,
    );
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
table('self time by area', area);
table('self time by function', self);
table('inclusive time by function', inclusive);
