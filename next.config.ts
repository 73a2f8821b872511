import type { NextConfig } from 'next';

const config: NextConfig = {
  // SEGTRIAL_NEXT_DIST lets parallel checkouts or test runs keep separate builds (`next start` reads it too).
  distDir: process.env.SEGTRIAL_NEXT_DIST ?? '.next',
  // Native and WebAssembly packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'onnxruntime-node'],
  experimental: {
    // forbidden() renders app/forbidden.tsx with HTTP 403 when a role opens another role's page.
    authInterrupts: true,
  },
  poweredByHeader: false,
  typescript: {
    // `npm test` type-checks the whole project with tsc; the build need not do it twice.
    ignoreBuildErrors: true,
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default config;
