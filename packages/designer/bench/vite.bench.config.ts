import { defaultClientConditions, defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/** Builds the benchmark page (production build, as a host's bundler would ship it). */
export default defineConfig({
  root: fileURLToPath(new URL('./browser', import.meta.url)),
  logLevel: 'warn',
  // Workspace packages from their sources, never a stale dist.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: fileURLToPath(new URL('../../../dist/designer-bench', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  worker: { format: 'es' },
});
