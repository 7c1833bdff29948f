import { defineConfig } from 'vite';

/** Builds the UI into dist/, which the server serves at `/`. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 4096 },
});
