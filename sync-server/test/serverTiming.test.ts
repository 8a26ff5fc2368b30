import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PauseWatch } from '../src/admin/pauseWatch.js';
import { installServerTiming, parseServerTiming } from '../src/http/serverTiming.js';

const app = Fastify();
const pauses = new PauseWatch();

beforeAll(async () => {
  pauses.start();
  installServerTiming(app, pauses);
  app.get('/working', async () => {
    // 150 ms of this process's CPU, however busy the machine (wall time may be longer).
    const start = process.cpuUsage();
    let n = 0;
    for (;;) {
      const used = process.cpuUsage(start);
      if (used.user + used.system >= 150_000) break;
      n += 1;
    }
    return { n };
  });
  app.get('/waiting', async () => {
    await new Promise((r) => setTimeout(r, 150));
    return { ok: true };
  });
  await app.ready();
});
afterAll(async () => {
  pauses.stop();
  await app.close();
});

describe('Server-Timing: the hub working, collecting or waiting', () => {
  it('tells a request the hub worked on from one it waited on', async () => {
    const working = parseServerTiming(
      String((await app.inject({ url: '/working' })).headers['server-timing']),
    );
    expect(working.cpu).toBeGreaterThanOrEqual(150);
    expect(working.app).toBeGreaterThanOrEqual(140);
    expect(working.gc).toBeGreaterThanOrEqual(0);

    const waiting = parseServerTiming(
      String((await app.inject({ url: '/waiting' })).headers['server-timing']),
    );
    expect(waiting.app).toBeGreaterThanOrEqual(145);
    expect(waiting.cpu).toBeLessThan(75);
  });

  it('reads a header as sent, and nothing from a missing one', () => {
    expect(parseServerTiming('app;dur=12.5, cpu;desc="x";dur=3, gc;dur=0')).toEqual({
      app: 12.5,
      cpu: 3,
      gc: 0,
    });
    expect(parseServerTiming(null)).toEqual({});
  });
});
