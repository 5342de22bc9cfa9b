import type { NextConfig } from 'next';

const allowedOrigins = (process.env.SERVER_ACTIONS_ALLOWED_ORIGINS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // `npm run package` ships .next/standalone (server.js with only the node_modules it traces): the
  // artifact runs with plain `node`, no dev dependency and no install on the host.
  output: 'standalone',
  poweredByHeader: false,
  // Native and Node-only packages stay out of the bundle.
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3', 'pg', '@azure/identity'],
  experimental: {
    // Bodies are refused past 64 KB (the proxy answers 413 first when the length is declared); actions take far less.
    serverActions: { bodySizeLimit: '64kb', ...(allowedOrigins.length ? { allowedOrigins } : {}) },
  },
  // `npm test` type-checks the whole tree (tsc --noEmit, infra tests included); the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
