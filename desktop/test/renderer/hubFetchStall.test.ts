// @vitest-environment node
/**
 * A hub answer whose headers arrive and whose body then stalls (a village line dying
 * mid-answer, a proxy holding the rest) ends within the request's limit as "unreachable",
 * so sync retries instead of waiting forever; the body used to have no limit at all.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HubError, hubFetch } from '../../src/renderer/api/hubClient';

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/whole') res.end('{"ok":true}');
    else res.write('{"documents":['); // and nothing more
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

it('gives up on a stalled body within the limit, as unreachable', async () => {
  const t0 = Date.now();
  const e = await hubFetch(url, '/stall', { timeoutMs: 500 }).then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(HubError);
  expect((e as HubError).unreachable).toBe(true);
  expect(Date.now() - t0).toBeLessThan(5_000);
});

it('still reads a whole answer', async () => {
  expect(await hubFetch(url, '/whole', { timeoutMs: 500 })).toEqual({ ok: true });
});
