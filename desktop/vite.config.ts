import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is a plain static site: Electron loads it through its app:// protocol,
// and tests/`npm start` serve it to Chromium. Relative base keeps both working.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: process.env.SBT_RENDERER_OUT ?? 'out/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
});
