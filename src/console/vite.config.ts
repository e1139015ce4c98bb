// Builds the web console into dist/console, served by `eniplane serve` at /console/.
// Run from the repository root: npx vite build --config src/console/vite.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // antd is one big chunk by nature; the console is served locally, so size is not the constraint.
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
  },
  server: {
    // `npx vite --config src/console/vite.config.ts` for development: API calls go to a running `eniplane serve`.
    proxy: {
      '/console/api': 'http://127.0.0.1:8080',
      '^/$': 'http://127.0.0.1:8080',
    },
  },
});
