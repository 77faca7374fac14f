import { defaultClientConditions, defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const demoRoot = fileURLToPath(new URL('./demo', import.meta.url));

// One Vite config for the demo (dev server, build and preview). Workspace packages are
// consumed as TypeScript source through the `source` condition of their `exports` maps (for
// the worker bundles too): no pre-build step, and never a stale dist.
export default defineConfig({
  root: demoRoot,
  resolve: { conditions: ['source', ...defaultClientConditions] },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  build: {
    outDir: fileURLToPath(new URL('./dist/demo', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  worker: { format: 'es' },
  // Dependencies only a worker imports must be pre-bundled up front (dev server 504s otherwise).
  optimizeDeps: { include: ['comlink', 'elkjs/lib/elk.bundled.js'] },
});
