import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The operator console: static files built into dist/console, served by the admin listener at
// /console (no CDN, no fonts from elsewhere: it works on a host without internet).
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  // Vite 8 transforms TSX with Oxc; the automatic runtime imported from preact needs no plugin.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    // Source maps stay out of the package: the console is small and readable as built.
    sourcemap: false,
  },
  server: {
    // `npx vite --config console/vite.config.ts`: the UI with hot reload against a gateway on
    // this host (start it with SMSGATE_ADMIN_PORT=8081).
    proxy: Object.fromEntries(
      ['/admin', '/console/session'].map((path) => [
        path,
        {
          target: 'http://127.0.0.1:8081',
          // The gateway takes changes only from its own origin; the dev server is another one.
          configure: (proxy) => proxy.on('proxyReq', (request) => request.removeHeader('origin')),
        },
      ]),
    ),
  },
});
