import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['domain', 'commands', 'pollers', 'api', 'infra'],
  },
});
