/**
 * The hub's command (src/cli/main.ts, serve and every subcommand) bundled once per test run
 * with esbuild, for the test helpers to start instead of the sources through tsx: tsx compiles
 * the hub and the shared package again in every process, about 1.1 s per hub or CLI start
 * against about 0.35 s for the bundle, and the suites start hundreds of them
 * (docs/benchmarks.md, "CI time"). Same code, same Node: only the loading differs.
 *
 * Built by the vitest global setups (./globalSetup.ts, e2e/support/globalSetup.ts), which hand
 * the file to the helpers in SBT_TEST_HUB_BUNDLE; without that variable (a run without those
 * configs, the bench) the helpers start the sources through tsx as before. HUB_TEST_TSX=1
 * keeps tsx for a run (to compare, or to rule the bundle out).
 */
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const SYNC_SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// One level under sync-server/, like src/<dir>/: the sources' two file-relative paths then
// still hold in the bundle (version.ts reads '../package.json'; embeddedStore.ts forks
// './embeddedStoreMain.mjs', copied beside the bundle with what it imports), and the external
// packages resolve from sync-server/node_modules and the root's, as they do for the sources.
const DIR = path.join(SYNC_SERVER, '.test-hub');
export const HUB_BUNDLE = path.join(DIR, 'main.mjs');

/** Builds the bundle and returns its path. Safe to run from several runs at once. */
export async function buildHubBundle(): Promise<string> {
  mkdirSync(DIR, { recursive: true });
  // Each run builds into a folder of its own and renames the finished files into place: the
  // unit run and the two CouchDB runs of scripts/test-all.sh build at the same time, and a
  // hub started by one of them must never load a half-written file.
  const work = mkdtempSync(path.join(DIR, 'build-'));
  try {
    await build({
      entryPoints: [path.join(SYNC_SERVER, 'src/cli/main.ts')],
      outfile: path.join(work, 'main.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'warning',
      // Packages stay outside the bundle, loaded by Node as the sources load them (native
      // LevelDB, CommonJS with dynamic requires); only our own sources are bundled, the
      // shared workspace package included (it is consumed as TypeScript source).
      plugins: [
        {
          name: 'packages-external',
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (args) =>
              args.path.startsWith('@sibantong/') ? undefined : { path: args.path, external: true },
            );
          },
        },
      ],
    });
    // The store child runs as it is, beside the bundle, with the module it imports.
    const storeChild = ['compiledMapReduce.mjs', 'embeddedStoreMain.mjs'];
    for (const f of storeChild) {
      copyFileSync(path.join(SYNC_SERVER, 'src/store', f), path.join(work, f));
    }
    // The store child and the source map first, the entry point last.
    for (const f of [...storeChild, 'main.mjs.map', 'main.mjs']) {
      renameSync(path.join(work, f), path.join(DIR, f));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return HUB_BUNDLE;
}
