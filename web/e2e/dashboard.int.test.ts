import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { detectPostgres } from '@netpulse/testing';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { screenshot } from './artifacts';
import { buildDashboard } from './build-dashboard';
import { type Browser, detectChromium, launchChromium } from './chromium';
import { graphql, login, type NetPulse, startNetPulse } from './netpulse-server';

const postgres = await detectPostgres();
const chromiumCheck = await detectChromium();

/** Waits until `check` holds, polling; fails with `what` and the last value seen. */
const eventually = async <T>(
  what: string,
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 60_000,
) => {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (check(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};

const visible = (locator: Locator, timeout = 30_000) =>
  locator.first().waitFor({ state: 'visible', timeout });

describe.skipIf(!postgres.available || !chromiumCheck.available)(
  'dashboard in Chromium against a running NetPulse',
  () => {
    const suffix = randomBytes(3).toString('hex');
    const deviceName = `e2e-web-${suffix}`;
    const note = `e2e: on it, checking the service (${suffix})`;
    let server: NetPulse;
    let browser: Browser;
    let page: Page;
    let listener: Server;
    let listenerPort = 0;
    const sockets = new Set<Socket>();
    const pageErrors: string[] = [];
    let deviceId = '';

    const row = () => page.locator(`.vgrid-row[data-device-id="${deviceId}"]`);

    beforeAll(async () => {
      // The service the device's TCP probe checks: a real listener on loopback, closed later.
      listener = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.end();
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      const address = listener.address();
      listenerPort = typeof address === 'object' && address ? address.port : 0;

      await buildDashboard();
      server = await startNetPulse({ NETPULSE_FAST_REPOLL_INTERVAL_SECONDS: '1' });
      browser = await launchChromium();
      page = await browser.context.newPage();
      page.setDefaultTimeout(30_000);
      page.on('pageerror', (error) => pageErrors.push(error.message));
    });

    // One story told in steps: once a step fails, the later ones would only time out.
    let failed = false;
    afterEach(async (context) => {
      if (context.task.result?.state !== 'fail') return;
      failed = true;
      const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await screenshot(page, `failed-${name}`).catch(() => undefined);
    });
    beforeEach((context) => {
      if (failed) context.skip();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      for (const socket of sockets) socket.destroy();
      if (listener?.listening) await new Promise((resolve) => listener.close(resolve));
    });

    it('signs in and shows who is signed in with which role', async () => {
      await page.goto(`${server.url}/`);
      await page.getByLabel('Email', { exact: true }).fill(server.email);
      await page.getByLabel('Password', { exact: true }).fill(server.password);
      await screenshot(page, '01-login');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await visible(page.getByTestId('role'));
      expect(await page.getByTestId('role').allTextContents()).toContain('admin');
      // An admin is offered every area.
      for (const name of ['Fleet', 'Alerts', 'Audit', 'Integrations'])
        await visible(page.getByRole('navigation').getByRole('link', { name }));
    });

    it('shows the fleet and registers a device through the form; it comes up live', async () => {
      await visible(page.locator('[data-testid="fleet-rows"], [data-testid="empty"]'));
      await page.getByRole('button', { name: 'Register device' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name', { exact: true }).fill(deviceName);
      await dialog.getByLabel('Address (IP or host name)', { exact: true }).fill('127.0.0.1');
      await dialog.getByLabel('Location', { exact: true }).fill('e2e-lab');
      await dialog.getByLabel('Tags (comma separated)', { exact: true }).fill('e2e, web');
      await dialog.getByLabel('ICMP ping', { exact: true }).uncheck();
      await dialog
        .getByLabel('TCP ports (comma separated, empty = none)', { exact: true })
        .fill(String(listenerPort));
      await dialog.getByLabel('TCP interval (s)', { exact: true }).fill('5');
      await dialog.getByLabel('TCP timeout (ms)', { exact: true }).fill('1000');
      await screenshot(page, '02-register-device');
      await dialog.getByRole('button', { name: 'Register' }).click();
      await dialog.waitFor({ state: 'detached' });

      // Narrow the list to the new device (the filter goes to the URL).
      await page.getByLabel('Search name or address', { exact: true }).fill(deviceName);
      await eventually(
        'the filter in the URL',
        async () => page.url(),
        (url) => url.includes(`q=${deviceName}`),
        5_000,
      );
      const newRow = page.locator('.vgrid-row', { hasText: deviceName });
      await visible(newRow, 30_000);
      deviceId = (await newRow.first().getAttribute('data-device-id')) ?? '';
      expect(deviceId).not.toBe('');
      await visible(page.locator(`.vgrid-row[data-device-id="${deviceId}"][data-status="up"]`), 60_000);
    });

    it('turns the row down without a reload when the service really stops answering', async () => {
      // A marker that a reload would wipe.
      await page.evaluate(() => {
        (window as unknown as Record<string, unknown>).__noReload = 'still here';
      });
      // Our device is up now, so it is not among the devices counted down, however late the count is.
      const downBefore = Number(await page.getByTestId('count-down').locator('.count').textContent());

      await new Promise((resolve) => listener.close(resolve));
      for (const socket of sockets) socket.destroy();

      await visible(page.locator(`.vgrid-row[data-device-id="${deviceId}"][data-status="down"]`), 90_000);
      expect(await page.evaluate(() => (window as unknown as Record<string, unknown>).__noReload)).toBe(
        'still here',
      );
      expect(await row().locator('.status').textContent()).toBe('down');
      // The counts follow live too.
      await eventually(
        'the down count to include the device',
        async () => Number(await page.getByTestId('count-down').locator('.count').textContent()),
        (count) => count >= downBefore + 1,
        30_000,
      );
      await screenshot(page, '03-fleet-device-down');
    });

    it('acknowledges the device’s alert with a note in the alerts console', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Alerts' }).click();
      const card = page.locator(`.alert-card[data-device-id="${deviceId}"]`);
      await visible(card, 60_000);
      expect(await card.getAttribute('data-state')).toBe('open');
      await screenshot(page, '04-alerts-open');
      await card.getByRole('button', { name: 'Acknowledge' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Note (kept in the audit trail)', { exact: true }).fill(note);
      await dialog.getByRole('button', { name: 'Acknowledge' }).click();
      await dialog.waitFor({ state: 'detached' });
      await visible(
        page.locator(`.alert-card[data-device-id="${deviceId}"][data-state="acknowledged"]`),
        30_000,
      );
      await visible(card.getByTestId('ack-info').filter({ hasText: note }));
      await screenshot(page, '05-alerts-acknowledged');
    });

    it('finds the actor and the note in the audit log', async () => {
      const stored = await page.evaluate(() => window.localStorage.getItem('netpulse.session'));
      const actorId = (JSON.parse(stored ?? '{}') as { identity?: { id?: string } }).identity?.id ?? '';
      expect(actorId).not.toBe('');

      await page.getByRole('navigation').getByRole('link', { name: 'Audit' }).click();
      await page.getByLabel('Action', { exact: true }).fill('AlertAcknowledged');
      await page.getByRole('button', { name: 'Filter' }).click();
      const entry = page.locator('[data-testid="audit-log"] tr[data-action="AlertAcknowledged"]', {
        hasText: note,
      });
      // The audit index is a projection: refresh until it has caught up.
      await eventually(
        'the acknowledgement in the audit log',
        async () => {
          if ((await entry.count()) > 0) return true;
          await page.getByRole('button', { name: 'Refresh' }).click();
          return false;
        },
        (found) => found,
        30_000,
      );
      const text = await entry.first().textContent();
      expect(text).toContain(actorId);
      expect(text).toContain(note);
      await screenshot(page, '06-audit-log');

      // The alert's own history, at the moment of the acknowledgement, then one event earlier.
      await entry
        .first()
        .getByRole('button', { name: /^alert / })
        .click();
      await visible(page.getByTestId('verify-ok'));
      const snapshot = page.getByTestId('alert-snapshot');
      await visible(page.locator('[data-testid="alert-snapshot"][data-state="acknowledged"]'));
      expect(await snapshot.textContent()).toContain(note);
      await page.getByRole('button', { name: '◀ Previous event' }).click();
      await visible(page.locator('[data-testid="alert-snapshot"][data-state="open"]'));
      await screenshot(page, '06b-alert-time-travel');
    });

    it('travels back in time: the device was up and no alert was open before the outage', async () => {
      await page.getByRole('tab', { name: 'Entity history & time travel' }).click();
      await page.getByLabel('Stream id', { exact: true }).fill(`device-${deviceId}`);
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await visible(page.getByTestId('verify-ok'), 30_000);
      await visible(page.locator('[data-testid="device-snapshot"][data-status="down"]'));
      await visible(page.getByTestId('open-alerts-at').filter({ hasText: deviceId }));

      // When did it come up, and go down? (read back over the API to aim the slider)
      const token = await login(server);
      const { streamHistory } = await graphql<{
        streamHistory: { events: { type: string; recordedAt: string; data: { to?: string } }[] };
      }>(
        server.url,
        'query($s: String!) { streamHistory(streamId: $s, limit: 100) { events { type recordedAt data } } }',
        { s: `device-${deviceId}` },
        token,
      );
      const changes = streamHistory.events.filter((event) => event.type === 'DeviceStatusChanged');
      const upAt = Date.parse(changes.find((event) => event.data.to === 'up')?.recordedAt ?? '');
      const downAt = Date.parse(changes.find((event) => event.data.to === 'down')?.recordedAt ?? '');
      expect(downAt).toBeGreaterThan(upAt);

      const slider = page.getByLabel('Moment', { exact: true });
      await slider.fill(String(Math.round((upAt + downAt) / 2)));
      await visible(page.locator('[data-testid="device-snapshot"][data-status="up"]'), 15_000);
      await eventually(
        'no alert of the device open back then',
        async () => (await page.getByTestId('open-alerts-at').textContent()) ?? '',
        (text) => !text.includes(deviceId),
        15_000,
      );
      await screenshot(page, '07-time-travel-before-outage');

      await page.getByRole('button', { name: 'Now' }).click();
      await visible(page.locator('[data-testid="device-snapshot"][data-status="down"]'), 15_000);
      await screenshot(page, '08-time-travel-now');
    });

    it('shows the device page with its timeline and availability', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Fleet' }).click();
      await page.getByLabel('Search name or address', { exact: true }).fill(deviceName);
      await eventually(
        'the filter in the URL',
        async () => page.url(),
        (url) => url.includes(`q=${deviceName}`),
        5_000,
      );
      await row().getByRole('link', { name: deviceName }).click();
      await visible(page.locator('[data-testid="device-page"][data-status="down"]'));
      await visible(page.getByTestId('status-bar'));
      await visible(page.getByTestId('availability-24h'));
      await visible(
        page
          .getByRole('img', { name: 'Round trip time and packet loss' })
          .or(page.getByText('No samples in this range.')),
      );
      await screenshot(page, '09-device');
    });

    it('shows how to integrate, and fits a tablet', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Integrations' }).click();
      await visible(page.getByText('Subscribe to every change'));
      await visible(page.getByRole('region', { name: 'API keys' }));
      // The resumable feed: replay from the start shows this test's own events with their checkpoints.
      await page.getByLabel('Resume from checkpoint', { exact: true }).fill('start');
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await visible(page.getByTestId('feed').locator('tr', { hasText: `device-${deviceId}` }));
      await page.getByRole('button', { name: 'Stop' }).click();
      // An API key: issued (the secret shown once), listed, revoked.
      await page.getByLabel('Key name', { exact: true }).fill(`e2e-key-${suffix}`);
      await page.getByRole('button', { name: 'Issue key' }).click();
      await visible(page.getByTestId('api-key-secret'));
      expect((await page.getByTestId('api-key-secret').textContent())?.length).toBeGreaterThan(16);
      const keyRow = page
        .getByRole('region', { name: 'API keys' })
        .locator('tr', { hasText: `e2e-key-${suffix}` });
      await visible(keyRow.getByText('active'));
      await screenshot(page, '10-integrations');
      page.once('dialog', (dialog) => void dialog.accept());
      await keyRow.getByRole('button', { name: 'Revoke' }).click();
      await visible(keyRow.getByText(/^revoked/));

      await page.setViewportSize({ width: 820, height: 1180 });
      await page.getByRole('navigation').getByRole('link', { name: 'Fleet' }).click();
      await visible(page.locator('[data-testid="fleet-rows"]'));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, '11-fleet-tablet');
      await page.getByRole('navigation').getByRole('link', { name: 'Alerts' }).click();
      await visible(page.locator('.alert-card'));
      await screenshot(page, '12-alerts-tablet');
      await page.setViewportSize({ width: 1280, height: 800 });
    });

    it('offers a viewer no action its role may not take', async () => {
      const token = await login(server);
      const email = `viewer-${suffix}@netpulse.test`;
      const password = `viewer-${suffix}-pw`;
      await graphql(
        server.url,
        'mutation($input: AddUserInput!) { addUser(input: $input) { version } }',
        { input: { email, displayName: 'Wall viewer', password, roles: ['viewer'] } },
        token,
      );
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await visible(page.getByTestId('role'));
      expect(await page.getByTestId('role').allTextContents()).toEqual(['viewer']);

      await page.getByRole('navigation').getByRole('link', { name: 'Fleet' }).click();
      await visible(page.locator('[data-testid="fleet-rows"] .vgrid-row'));
      expect(await page.getByRole('button', { name: 'Register device' }).count()).toBe(0);
      expect(await page.locator('.vgrid-row').getByRole('button', { name: /^Edit/ }).count()).toBe(0);
      expect(await page.getByRole('navigation').getByRole('link', { name: 'Audit' }).count()).toBe(0);

      await page.getByRole('navigation').getByRole('link', { name: 'Alerts' }).click();
      await visible(page.locator('.alert-card'));
      for (const name of ['Acknowledge', 'Unacknowledge', 'Resolve', 'Add note'])
        expect(await page.locator('.alert-card').getByRole('button', { name, exact: true }).count()).toBe(0);
      await screenshot(page, '13-viewer-alerts');
      expect(pageErrors).toEqual([]);
    });
  },
);
