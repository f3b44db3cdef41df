/**
 * `npm run bench -- web [--devices 10000] [--runs 7]`
 *
 * The dashboard at fleet scale, in headless Chromium (Debian's /usr/bin/chromium, playwright-core):
 *  1. builds web/ (vite) and measures the JavaScript it ships, gzip-compressed: everything, and what
 *     the first page needs (index.html's entry and the chunks it preloads);
 *  2. fills a fresh event store (the PostgreSQL test service, BENCH_DATABASE_URL else
 *     TEST_DATABASE_URL) with `--devices` DeviceRegistered events plus a status for each (97 % up,
 *     2 % degraded, 1 % down), probes off so the poller stays idle, then starts a real NetPulse
 *     (`netpulse start` from the sources) on it and waits until the read model holds every device;
 *  3. signs in over the API, then for each run opens a fresh browser context (cold cache) with the
 *     session in localStorage and navigates to `/`: time from navigation start to the fleet list
 *     being interactive (first rows rendered, then one frame and one task later: the main thread is
 *     free), and to every device loaded; after the last run, scrolls the 10,000-row list top to
 *     bottom frame by frame and reports frame times.
 * Prints the runs and, last, one JSON line; `value` is the median time to interactive.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PostgresEventStore } from '@netpulse/infra';
import { testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import { chromium } from 'playwright-core';
import { buildDashboard } from '../web/e2e/build-dashboard.ts';
import { CHROMIUM } from '../web/e2e/chromium.ts';
import { graphql, startNetPulse } from '../web/e2e/netpulse-server.ts';
import { option } from './options.ts';
import { registeredDevice } from './registered-device.ts';
import { printResult } from './result-line.ts';

const ORGANIZATION = 'default';
const dist = fileURLToPath(new URL('../web/dist/', import.meta.url));

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** gzip size of every JS chunk, and of the ones index.html loads up front. */
const bundleSizes = () => {
  const assets = readdirSync(join(dist, 'assets')).filter((file) => file.endsWith('.js'));
  const gz = new Map(assets.map((file) => [file, gzipSync(readFileSync(join(dist, 'assets', file))).length]));
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/\/assets\/([^"']+\.js)/g)].map((match) => match[1]!);
  const sum = (files: string[]) => files.reduce((total, file) => total + (gz.get(file) ?? 0), 0);
  return { totalKb: kb(sum(assets)), initialKb: kb(sum([...new Set(initial)])), files: assets.length };
};

const kinds = ['router', 'switch', 'firewall', 'server', 'access-point', 'load-balancer'];

/** One device's registration and current status, as the command side would have recorded them. */
const deviceHistory = (i: number, at: string) =>
  registeredDevice(
    'bench-web',
    ORGANIZATION,
    {
      deviceId: `bench-web-${String(i).padStart(5, '0')}`,
      name: `${kinds[i % kinds.length]}-${String(i).padStart(5, '0')}`,
      kind: kinds[i % kinds.length] as string,
      location: `site-${String(i % 40).padStart(2, '0')}`,
      tags: [`rack:${i % 12}`, i % 3 === 0 ? 'core' : 'edge'],
      status: i % 100 === 0 ? 'down' : i % 50 === 1 ? 'degraded' : 'up',
      index: i,
    },
    at,
  );

// Page-side scripts are plain JavaScript text: functions compiled by tsx carry esbuild's `__name`
// helper, which does not exist in the page.

/** Marks, in page time (ms since navigation start), when the list first shows rows and when all are in. */
const instrument = `(() => {
  const marks = (window.__marks = {});
  const mark = (name) => { if (!(name in marks)) marks[name] = performance.now(); };
  const check = () => {
    const body = document.querySelector('[data-testid="fleet-rows"]');
    if (!body) return;
    if (!('rows' in marks) && body.querySelector('.vgrid-row')) {
      mark('rows');
      requestAnimationFrame(() => setTimeout(() => mark('interactive'), 0));
    }
    if (body.getAttribute('data-ready') === 'complete') mark('complete');
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'],
  });
})();`;

/** Frame-to-frame times (ms) of `count` frames with nothing to do: what this machine gives the page. */
const idleFrames = (count: number) => `new Promise((resolve) => {
  const frames = [];
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    frames.push(now - last);
    last = now;
    if (frames.length >= ${count}) return resolve(frames.slice(1));
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})`;

const p95 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    Math.round((sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? 0) * 10) / 10
  );
};

/**
 * Scrolls the list for `steps` frames, `pixels` a frame (a fast flick), or when `pixels` is 0 from
 * top to bottom in `steps` jumps (every frame a screen of new rows); resolves with the frame times.
 */
const scrollFrames = (steps: number, pixels: number) => `new Promise((resolve) => {
  const body = document.querySelector('[data-testid="fleet-rows"]');
  const frames = [];
  let step = 0;
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    if (step > 0) frames.push(now - last);
    last = now;
    if (step > ${steps}) return resolve(frames);
    body.scrollTop = ${pixels} > 0 ? step * ${pixels} : ((body.scrollHeight - body.clientHeight) * step) / ${steps};
    step += 1;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})`;

export const main = async (args: string[]): Promise<void> => {
  const deviceCount = option(args, 'devices', 10_000);
  const runs = option(args, 'runs', 7);
  const url = process.env.BENCH_DATABASE_URL ?? testDatabaseUrl();
  process.env.TEST_DATABASE_URL = url;

  console.error('building the dashboard…');
  await buildDashboard();
  const bundle = bundleSizes();
  console.error(
    `JS: ${bundle.totalKb} kB gzip in ${bundle.files} chunks, ${bundle.initialKb} kB for the first page`,
  );

  const schemas = { events: uniqueSchemaName('bench_web_es'), readModels: uniqueSchemaName('bench_web_rm') };
  const store = await PostgresEventStore.connect({ connectionString: url, schema: schemas.events });
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const histories = Array.from({ length: deviceCount }, (_, i) => deviceHistory(i, at));
  for (let i = 0; i < histories.length; i += 1_000) await store.appendMany(histories.slice(i, i + 1_000));
  await store.close();
  console.error(`${deviceCount} devices appended; starting NetPulse`);

  const server = await startNetPulse({}, schemas);
  try {
    const { login } = await graphql<{ login: Record<string, unknown> }>(
      server.url,
      `mutation($email: String!, $password: String!) { login(email: $email, password: $password) {
        accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt
        identity { organizationId kind id displayName roles permissions } } }`,
      { email: server.email, password: server.password },
    );
    const token = login.accessToken as string;
    const projectedSince = Date.now();
    for (;;) {
      const { fleetSummary } = await graphql<{ fleetSummary: { total: number } }>(
        server.url,
        '{ fleetSummary { total } }',
        {},
        token,
      );
      if (fleetSummary.total >= deviceCount) break;
      if (Date.now() - projectedSince > 300_000)
        throw new Error(`only ${fleetSummary.total} devices projected`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    console.error(`read model holds ${deviceCount} devices; measuring ${runs} runs (+1 warm-up)`);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const results: { interactiveMs: number; rowsMs: number; completeMs: number }[] = [];
    let frames: number[] = [];
    let idle: number[] = [];
    let jumps: number[] = [];
    try {
      for (let run = 0; run <= runs; run += 1) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await context.addInitScript(
          `window.localStorage.setItem('netpulse.session', ${JSON.stringify(JSON.stringify(login))});`,
        );
        await context.addInitScript(instrument);
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('pageerror', (error) => problems.push(error.message));
        page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
        await page.goto(`${server.url}/`);
        await page
          .waitForFunction(
            "window.__marks && 'interactive' in window.__marks && 'complete' in window.__marks",
            undefined,
            {
              timeout: 120_000,
              polling: 50,
            },
          )
          .catch(async (error: unknown) => {
            const state = await page.evaluate(
              '({ marks: window.__marks, text: document.body.innerText.slice(0, 600) })',
            );
            console.error(
              'the fleet did not become interactive and complete:',
              JSON.stringify(state),
              problems,
            );
            throw error;
          });
        const marks = await page.evaluate(
          () => (globalThis as unknown as { __marks: Record<string, number> }).__marks,
        );
        const shown = await page.getByTestId('fleet-shown').textContent();
        const result = {
          interactiveMs: Math.round(marks.interactive!),
          rowsMs: Math.round(marks.rows!),
          completeMs: Math.round(marks.complete!),
        };
        console.error(
          `${run === 0 ? 'warm-up' : `run ${run}`}: ${JSON.stringify(result)} (${shown?.trim()})`,
        );
        if (run > 0) results.push(result);
        if (run === runs) {
          idle = (await page.evaluate(idleFrames(120))) as number[];
          frames = (await page.evaluate(scrollFrames(120, 600))) as number[];
          jumps = (await page.evaluate(scrollFrames(120, 0))) as number[];
        }
        await context.close();
      }
    } finally {
      await browser.close();
    }

    const sortedFrames = [...frames].sort((a, b) => a - b);
    console.error(
      `frame times p95: scrolling 600 px a frame ${p95(frames)} ms, a screen a frame ${p95(jumps)} ms, idle ${p95(idle)} ms (the machine's own pace)`,
    );
    printResult({
      name: 'web',
      value: median(results.map((r) => r.interactiveMs)),
      unit: 'ms',
      bundleKb: bundle.totalKb,
      initialBundleKb: bundle.initialKb,
      allDevicesLoadedMs: median(results.map((r) => r.completeMs)),
      firstRowsMs: median(results.map((r) => r.rowsMs)),
      runsInteractiveMs: results.map((r) => r.interactiveMs),
      scrollFrameP95Ms: p95(frames),
      scrollFrameP50Ms: Math.round(median(frames) * 10) / 10,
      jumpFrameP95Ms: p95(jumps),
      idleFrameP95Ms: p95(idle),
      scrollFrameMaxMs: Math.round((sortedFrames.at(-1) ?? 0) * 10) / 10,
      devices: deviceCount,
    });
  } finally {
    await server.stop();
  }
};
