import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['domain', 'commands', 'projections', 'pollers', 'api', 'infra'],
  },
});
