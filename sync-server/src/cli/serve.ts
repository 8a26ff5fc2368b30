/** `sibantong-hub serve`: provision the store, start the workflow processor, listen. */
import { loadConfig } from '../config.js';
import { createHub, stopHub } from '../hub.js';
import { buildServer } from '../server.js';
import { readEndpoint } from '../store/embeddedStore.js';
import { openStore } from '../store/openStore.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A hub killed with SIGKILL leaves its store child to notice the broken IPC channel and exit;
 * wait for that, so the new store does not find the LevelDB folder still locked.
 */
async function waitForOrphanStore(dataDir: string): Promise<void> {
  const ep = readEndpoint(dataDir);
  if (!ep) return;
  if (ep.supervisorPid && alive(ep.supervisorPid) && ep.supervisorPid !== process.pid) {
    throw new Error(`另一个枢纽进程（pid ${ep.supervisorPid}）正在使用数据目录 ${dataDir}`);
  }
  const until = Date.now() + 10_000;
  while (ep.pid && alive(ep.pid) && Date.now() < until)
    await new Promise((r) => setTimeout(r, 100));
}

export async function serve(): Promise<number> {
  const config = loadConfig();
  if (!config.couchUrl) await waitForOrphanStore(config.dataDir);
  const store = await openStore(config, { attachIfRunning: false });
  const hub = await createHub(config, store);
  const app = await buildServer(hub);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const scheme = config.tlsCert && config.tlsKey ? 'https' : 'http';
  // One machine-readable line first (scripts and tests read the port from it).
  console.log(
    JSON.stringify({ event: 'listening', port, store: store.kind, dataDir: config.dataDir }),
  );
  console.log(
    `四办通枢纽已启动：${scheme}://${config.host}:${port}（存储：${store.kind === 'embedded' ? '内置' : 'CouchDB'}）`,
  );
  if (config.testMode) console.error('警告：HUB_TEST_MODE=1，演练时钟接口已开启，请勿用于生产');

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void (async () => {
        await app.close().catch(() => undefined);
        await stopHub(hub).catch(() => undefined);
        await store.close().catch(() => undefined);
        resolve();
      })();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
