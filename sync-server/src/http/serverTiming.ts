/**
 * `Server-Timing` on every answer: how long the hub held the request (`app`), how much CPU the
 * hub process spent meanwhile (`cpu`) and how much of that time went to garbage collection
 * (`gc`). A request slow now and then is the hub working, the hub collecting, or the hub
 * waiting (for the store): whoever measures (the browser's developer tools, the benchmarks)
 * reads which from the answer itself. Process-wide figures: exact when requests do not overlap.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PauseWatch } from '../admin/pauseWatch.js';

interface Start {
  at: number;
  cpu: NodeJS.CpuUsage;
  gcMs: number;
}

export function installServerTiming(app: FastifyInstance, pauses: PauseWatch): void {
  const started = new WeakMap<FastifyRequest, Start>();
  app.addHook('onRequest', async (request) => {
    started.set(request, { at: performance.now(), cpu: process.cpuUsage(), gcMs: pauses.gcMs });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const s = started.get(request);
    if (s) {
      const cpu = process.cpuUsage(s.cpu);
      reply.header(
        'server-timing',
        [
          `app;dur=${(performance.now() - s.at).toFixed(1)}`,
          `cpu;dur=${((cpu.user + cpu.system) / 1000).toFixed(1)}`,
          `gc;dur=${(pauses.gcMs - s.gcMs).toFixed(1)}`,
        ].join(', '),
      );
    }
    return payload;
  });
}

/** `{ app: 12.3, cpu: 10.1, gc: 0 }` from a Server-Timing header (unknown entries kept). */
export function parseServerTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const m = /^\s*([A-Za-z0-9_-]+)\s*;(?:.*;)?\s*dur=([0-9.]+)/.exec(part);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}
