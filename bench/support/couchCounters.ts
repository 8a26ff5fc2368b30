/**
 * What a CouchDB did during a figure, by its own counters (`/_node/<node>/_stats`): requests by
 * method, `_bulk_docs` requests, documents read and written, documents its view and Mango
 * indexes mapped, fabric's and rexi's internal traffic on a cluster. CPU time says how much the
 * store worked; these say on what, so a figure that misses its goal on CouchDB can say why.
 * Counters only (gauges and histograms are not additive), summed over every node of a cluster.
 */
import { couchFetch } from './couch.ts';

type Counters = Record<string, number>;

interface StatLeaf {
  value?: unknown;
  type?: unknown;
}

function flatten(prefix: string, node: unknown, out: Counters): void {
  if (!node || typeof node !== 'object') return;
  const leaf = node as StatLeaf;
  if (leaf.type === 'counter' && typeof leaf.value === 'number') {
    out[prefix] = (out[prefix] ?? 0) + leaf.value;
    return;
  }
  if ('type' in leaf && 'value' in leaf) return; // a gauge or a histogram
  for (const [k, v] of Object.entries(node)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
}

async function readAll(couchUrl: string): Promise<Counters> {
  const get = async (p: string): Promise<unknown> => {
    const r = await couchFetch(couchUrl, p, { signal: AbortSignal.timeout(10_000) });
    if (!r.ok) throw new Error(`GET ${p}: ${r.status}`);
    return r.json();
  };
  const membership = (await get('/_membership')) as { cluster_nodes?: string[] };
  const out: Counters = {};
  for (const node of membership.cluster_nodes ?? ['_local']) {
    // A killed node has no counters to give; the others' still say what the store did.
    const stats = await get(`/_node/${encodeURIComponent(node)}/_stats`).catch(() => null);
    flatten('', stats, out);
  }
  return out;
}

/** The counters that moved, largest first (at most `top`). */
function delta(before: Counters, after: Counters, top: number): Counters {
  const moved = Object.entries(after)
    .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
    .filter(([, d]) => d > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  return Object.fromEntries(moved);
}

/**
 * Reads every node's counters now; `stop()` reads them again and answers what moved (null when
 * the store is not a CouchDB or a read failed: a figure is never lost to its diagnosis).
 */
export async function couchCounters(
  couchUrl: string | null,
  top = 40,
): Promise<{ stop(): Promise<Counters | null> }> {
  const before = couchUrl ? await readAll(couchUrl).catch(() => null) : null;
  return {
    async stop() {
      if (!couchUrl || !before) return null;
      const after = await readAll(couchUrl).catch(() => null);
      return after ? delta(before, after, top) : null;
    },
  };
}
