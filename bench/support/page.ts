/**
 * Builds the bench page with Vite into a temporary folder and serves it on loopback.
 * Chromium runs with web security off for this page only: the PouchDB baseline and the raw
 * `_changes` read talk to the store on another port, which does not send CORS headers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../e2e/support/chromium.ts';
import { serveStatic } from '../../e2e/support/staticServer.ts';

const PAGE_DIR = fileURLToPath(new URL('../page', import.meta.url));

export interface BenchPage {
  context: BrowserContext;
  page: Page;
  call<T>(fn: string, args?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface Harness {
  browser: Browser;
  url: string;
  chromiumVersion: string;
  open(): Promise<BenchPage>;
  close(): Promise<void>;
}

export async function startHarness(log: (m: string) => void): Promise<Harness> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'sbt-bench-page-'));
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
  const t0 = performance.now();
  await build({
    root: PAGE_DIR,
    base: './',
    logLevel: 'error',
    configFile: false,
    resolve: { alias: { events: path.join(PAGE_DIR, 'eventsShim.ts') } },
    define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir,
      emptyOutDir: true,
      chunkSizeWarningLimit: 10_000,
      minify: process.env.BENCH_MINIFY !== '0',
      target: 'es2022',
    },
  });
  log(`bench page built in ${Math.round(performance.now() - t0)} ms`);
  const server = await serveStatic(outDir);
  const browser = await launchChromium([
    '--disable-web-security',
    '--enable-precise-memory-info',
    '--js-flags=--expose-gc',
  ]);
  return {
    browser,
    url: server.url,
    chromiumVersion: browser.version(),
    async open() {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}/index.html`);
      await page.waitForFunction(() => document.title === 'bench ready', null, { timeout: 60_000 });
      return {
        context,
        page,
        async call<T>(fn: string, args?: unknown): Promise<T> {
          try {
            return (await page.evaluate(
              ([f, a]) =>
                (window as unknown as { bench: Record<string, (x: unknown) => Promise<unknown>> })
                  .bench[f as string]!(a),
              [fn, args] as const,
            )) as T;
          } catch (err) {
            const extra = errors.length ? ` (page errors: ${errors.slice(-3).join(' | ')})` : '';
            throw new Error(`${fn}: ${err instanceof Error ? err.message : String(err)}${extra}`);
          }
        },
        close: () => context.close(),
      };
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
