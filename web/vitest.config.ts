import { defineProject, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../vitest.shared.js';

export default mergeConfig(
  sharedConfig,
  defineProject({
    test: {
      name: 'web',
      // Added to the shared 'src/**/*.test.ts' (mergeConfig concatenates arrays).
      include: ['e2e/**/*.int.test.ts'],
      // The browser tests start a whole NetPulse and Chromium.
      testTimeout: 180_000,
      hookTimeout: 240_000,
    },
  }),
);
