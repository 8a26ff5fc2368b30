/**
 * electron-vite build of the three parts into desktop/out:
 *   out/main/index.js      (ESM; electron-updater bundled in)
 *   out/preload/index.cjs  (CommonJS: a sandboxed preload cannot be an ES module)
 *   out/renderer/          (desktop/index.html → src/renderer; served over app://sibantong)
 * `npx electron-vite build` works without the Electron binary.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // electron-updater is bundled into main, so the packaged app needs no node_modules at all
      // (the renderer's libraries are already bundled into out/renderer).
      externalizeDeps: { exclude: ['electron-updater'] },
      rollupOptions: { input: { index: resolve(root, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // Bundle everything: a sandboxed preload may only require('electron').
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root,
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      chunkSizeWarningLimit: 4000,
      rollupOptions: { input: { index: resolve(root, 'index.html') } },
    },
  },
});
