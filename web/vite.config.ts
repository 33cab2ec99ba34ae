// The dashboard's build: served by the gateway at /dashboard/ from web/dist. `npm run web:dev`
// runs Vite's dev server with /graphql (HTTP and WebSocket), /auth and /admin proxied to a gateway on port 4000.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundleBudget } from './bundle-budget.ts';

const gateway = process.env.RECS_GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  // React's automatic JSX runtime through Vite's own transform (no Babel plugin needed).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inlined assets or remote URLs: the CSP allows 'self' only.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rolldownOptions: {
      onLog(level, log, handler) {
        // react-router marks its modules "use client" for React Server Components; a browser-only
        // bundle has no server components, so the directive has nothing to preserve.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  plugins: [bundleBudget()],
  server: {
    // ws: the runProgress subscription's WebSocket shares /graphql.
    proxy: { '/graphql': { target: gateway, ws: true }, '/auth': gateway, '/admin': gateway },
  },
});
