import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { ensureTwinCertificates } from './lib/twin/cert.ts';

export default defineConfig(async () => {
  // Integration tests talk to an in-process twin over HTTPS through the real
  // SDKs; the workers (forked after this runs) trust its CA from the start.
  const certs = await ensureTwinCertificates(resolve('data/test-twin'));
  process.env.NODE_EXTRA_CA_CERTS = certs.caFile;
  return {
    resolve: {
      alias: {
        '@': fileURLToPath(new URL('.', import.meta.url)),
        // Server modules carry `import 'server-only'`, which throws outside React's server environment; the tests
        // run them as the server does (Next resolves it to this same empty module for server code).
        'server-only': fileURLToPath(new URL('node_modules/server-only/empty.js', import.meta.url)),
      },
    },
    test: {
      environment: 'node',
      pool: 'forks',
      include: ['lib/**/*.test.ts', 'test/**/*.test.ts', 'infra/**/*.test.ts', 'scripts/**/*.test.ts', 'components/**/*.test.ts', 'app/**/*.test.ts'],
      exclude: ['node_modules/**', 'e2e/**', '.next/**'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  };
});
