import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql ships a CommonJS build (index.js, what Node loads and mercurius requires) and an ESM one
// (index.mjs, what Vite would pick): two copies reject each other's schema types ("from another
// module or realm"). Tests load the one Node loads in production.
const graphqlEntry = createRequire(import.meta.url).resolve('graphql');

// Workspace packages export their TypeScript sources under the "source" condition,
// so tests run against src/ without a build step.
export const sharedConfig = defineConfig({
  resolve: {
    conditions: ['source', 'module', 'node', 'import', 'default'],
    alias: [{ find: /^graphql$/, replacement: graphqlEntry }],
  },
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] } },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
