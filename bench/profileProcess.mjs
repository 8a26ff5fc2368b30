#!/usr/bin/env node
/**
 * CPU profile of a running Node process, for a window, without restarting it:
 * `node bench/profileProcess.mjs <pid> <seconds> <out.cpuprofile> [inspector port]`.
 *
 * SIGUSR1 makes Node open its inspector (default port 9229); the profile is taken over the
 * Chrome DevTools protocol and written as a `.cpuprofile` (open it in DevTools or read it with
 * any profile tool). Used on the hub and on its embedded store's child process during a storm
 * (bench/findings.md): the store child is started by the hub with fixed arguments and
 * environment, so a profiler flag cannot be passed to it.
 */
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';

const [pidArg, secondsArg, out, portArg] = process.argv.slice(2);
if (!pidArg || !secondsArg || !out) {
  console.error('usage: node bench/profileProcess.mjs <pid> <seconds> <out.cpuprofile> [port]');
  process.exit(2);
}
const port = Number(portArg ?? 9229);
process.kill(Number(pidArg), 'SIGUSR1');

let target = null;
for (let i = 0; i < 50 && !target; i += 1) {
  await new Promise((r) => setTimeout(r, 200));
  try {
    const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    target = list[0]?.webSocketDebuggerUrl ?? null;
  } catch {
    // not listening yet
  }
}
if (!target) throw new Error(`no inspector on port ${port} after SIGUSR1 to ${pidArg}`);

const ws = new WebSocket(target, { maxPayload: 2 ** 31 });
await new Promise((resolve, reject) => {
  ws.once('open', resolve);
  ws.once('error', reject);
});
let nextId = 1;
const pending = new Map();
ws.on('message', (data) => {
  const msg = JSON.parse(data.toString());
  if (msg.id && pending.has(msg.id)) {
    pending.get(msg.id)(msg);
    pending.delete(msg.id);
  }
});
const send = (method, params = {}) =>
  new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });

await send('Profiler.enable');
// 1 ms sampling: a long window stays a readable size.
await send('Profiler.setSamplingInterval', { interval: 1000 });
await send('Profiler.start');
console.log(`profiling pid ${pidArg} for ${secondsArg} s`);
await new Promise((r) => setTimeout(r, Number(secondsArg) * 1000));
const stopped = await send('Profiler.stop');
writeFileSync(out, JSON.stringify(stopped.result.profile));
console.log(`wrote ${out}`);
ws.close();
