import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Static build served by the API at `/`; GraphQL lives on the same origin at `/graphql`. */
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npm run dev -w web` against a NetPulse on :4000.
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true } },
  },
});
