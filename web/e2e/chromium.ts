import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BackendCheck, detectBackend } from '@netpulse/testing';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's chromium, driven by playwright-core; absent locally = skip with a reason, required under CI=true. */
export const detectChromium = (): Promise<BackendCheck> =>
  detectBackend('Chromium', async () => {
    await access(CHROMIUM, constants.X_OK).catch(() => {
      throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
    });
  });

export type Browser = Readonly<{ context: BrowserContext; close: () => Promise<void> }>;

/** Headless Chromium with a fresh profile, nothing talking to the network but the page under test. */
export const launchChromium = async (viewport = { width: 1280, height: 800 }): Promise<Browser> => {
  const profile = await mkdtemp(join(tmpdir(), 'netpulse-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
};
