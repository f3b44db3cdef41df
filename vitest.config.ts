import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './testing/src/summary-reporter.ts'],
    projects: ['domain', 'commands', 'projections', 'pollers', 'api', 'infra', 'web'],
  },
});
