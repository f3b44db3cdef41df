import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Screenshots land in web/test-artifacts/ (git-ignored; README names it). */
export const artifactsDir = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

export const screenshot = async (page: Page, name: string): Promise<string> => {
  await mkdir(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
};
