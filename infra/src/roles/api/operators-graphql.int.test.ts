import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observation } from '../projector/testing/fleet-events.js';
import { codes, createGraphqlFixture, type GraphqlFixture } from './testing/graphql-fixture.js';

const postgres = await detectPostgres();

const WRITE = 'streamId version eventsWritten';
const register = `mutation ($input: RegisterDeviceInput!) { registerDevice(input: $input) { ${WRITE} } }`;
const DEVICE_SELECTION = `deviceId name address kind location tags parentId status monitoringPaused
  inMaintenance version maintenance { windowId reason } decommissionedAt`;
const deviceQuery = `query ($id: String!) { device(deviceId: $id) { ${DEVICE_SELECTION} } }`;
/** Every field of a device, through a fragment: a page reads only the columns its selection names. */
const everyDeviceField = `fragment Everything on Device { ${DEVICE_SELECTION} organizationId probes statusReason
  statusChangedAt registeredAt updatedAt latest { observedAt reachable rttAvgMs lossPct cpuPct memoryPct lastError } }`;

type Write = { streamId: string; version: string; eventsWritten: number };
type DeviceRow = {
  deviceId: string;
  name: string;
  location: string | null;
  tags: string[];
  status: string;
  monitoringPaused: boolean;
  inMaintenance: boolean;
  version: string;
  maintenance: { windowId: string; reason: string }[];
  decommissionedAt: string | null;
};

const device = (deviceId: string, extra: Record<string, unknown> = {}) => ({
  deviceId,
  name: deviceId,
  address: '127.0.0.1',
  kind: 'router',
  probes: { icmp: { enabled: false } },
  ...extra,
});

/**
 * Every operator query and mutation through the GraphQL API as NetPulse composes it, over the real
 * PostgreSQL event store and the real projector: the effect of each mutation is read back from the
 * read models, and another organization can neither see nor touch any of it.
 */
describe.skipIf(!postgres.available)('operators through GraphQL', () => {
  let api: GraphqlFixture;

  beforeAll(async () => {
    api = await createGraphqlFixture('ops');
  });
  afterAll(async () => {
    await api?.dispose();
  });

  const readDevice = async (deviceId: string, caller: 'operator-a' | 'operator-b' = 'operator-a') => {
    await api.settle();
    const response = await api.gql<{ device: DeviceRow | null }>(caller, deviceQuery, { id: deviceId });
    expect(response.errors).toBeUndefined();
    return response.data?.device ?? null;
  };

  describe('devices', () => {
    it('registers, updates, pauses, resumes, schedules and cancels maintenance, and decommissions', async () => {
      const registered = await api.gql<{ registerDevice: Write }>('operator-a', register, {
        input: device('core-1', { tags: ['core', 'site:lab'], location: 'Lab' }),
      });
      expect(registered).toEqual({
        data: { registerDevice: { streamId: 'device-core-1', version: '0', eventsWritten: 1 } },
      });
      expect(await readDevice('core-1')).toMatchObject({
        name: 'core-1',
        tags: ['core', 'site:lab'],
        location: 'Lab',
        status: 'unknown',
        version: '0',
      });

      const updated = await api.gql<{ updateDevice: Write }>(
        'operator-a',
        `mutation { updateDevice(deviceId: "core-1", expectedVersion: "0", changes: { name: "core one", tags: ["core"] }) { ${WRITE} } }`,
      );
      expect(updated.data?.updateDevice).toEqual({
        streamId: 'device-core-1',
        version: '1',
        eventsWritten: 1,
      });
      expect(await readDevice('core-1')).toMatchObject({ name: 'core one', tags: ['core'], version: '1' });

      const paused = await api.gql<{ pauseMonitoring: Write }>(
        'operator-a',
        `mutation { pauseMonitoring(deviceId: "core-1", reason: "rack move") { version } }`,
      );
      expect(paused.data?.pauseMonitoring.version).toBe('2');
      expect(await readDevice('core-1')).toMatchObject({ monitoringPaused: true });
      await api.gql(
        'operator-a',
        'mutation { resumeMonitoring(deviceId: "core-1", expectedVersion: "2") { version } }',
      );
      expect(await readDevice('core-1')).toMatchObject({ monitoringPaused: false, version: '3' });

      const startsAt = new Date(Date.now() - 60_000).toISOString();
      const endsAt = new Date(Date.now() + 3_600_000).toISOString();
      const scheduled = await api.gql<{ scheduleMaintenance: Write }>(
        'operator-a',
        `mutation ($input: ScheduleMaintenanceInput!) { scheduleMaintenance(input: $input) { version } }`,
        { input: { deviceId: 'core-1', windowId: 'mw-1', startsAt, endsAt, reason: 'firmware' } },
      );
      expect(scheduled.errors).toBeUndefined();
      expect(await readDevice('core-1')).toMatchObject({
        inMaintenance: true,
        maintenance: [{ windowId: 'mw-1', reason: 'firmware' }],
      });
      const [inPage, alone] = await Promise.all(
        [
          `{ devices(filter: { text: "core one" }) { nodes { ...Everything } } } ${everyDeviceField}`,
          `{ device(deviceId: "core-1") { ...Everything } } ${everyDeviceField}`,
        ].map((query) => api.gql<{ devices?: { nodes: unknown[] }; device?: unknown }>('operator-a', query)),
      );
      expect(inPage?.errors).toBeUndefined();
      expect(inPage?.data?.devices?.nodes).toEqual([alone?.data?.device]);
      expect(alone?.data?.device).toMatchObject({ inMaintenance: true, organizationId: expect.any(String) });
      // Derived alone: the page must still read the windows it is computed from.
      const derived = await api.gql(
        'operator-a',
        '{ devices(filter: { text: "core one" }) { nodes { inMaintenance } } }',
      );
      expect(derived).toEqual({ data: { devices: { nodes: [{ inMaintenance: true }] } } });
      const generated = await api.gql<{ scheduleMaintenance: Write }>(
        'operator-a',
        `mutation ($input: ScheduleMaintenanceInput!) { scheduleMaintenance(input: $input) { version } }`,
        {
          input: {
            deviceId: 'core-1',
            startsAt: endsAt,
            endsAt: new Date(Date.now() + 7_200_000).toISOString(),
            reason: 'later',
          },
        },
      );
      expect(generated.data?.scheduleMaintenance.version).toBe('5');
      await api.gql(
        'operator-a',
        'mutation { cancelMaintenance(deviceId: "core-1", windowId: "mw-1") { version } }',
      );
      const afterCancel = await readDevice('core-1');
      expect(afterCancel?.inMaintenance).toBe(false);
      expect(afterCancel?.maintenance.map((window) => window.reason)).toEqual(['later']);

      const retired = await api.gql<{ decommissionDevice: Write }>(
        'operator-a',
        'mutation { decommissionDevice(deviceId: "core-1", reason: "replaced", expectedVersion: "6") { version } }',
      );
      expect(retired.data?.decommissionDevice.version).toBe('7');
      expect((await readDevice('core-1'))?.decommissionedAt).toEqual(expect.any(String));
      await api.settle();
      const listed = await api.gql<{ devices: { nodes: { deviceId: string }[] } }>(
        'operator-a',
        '{ a: devices { nodes { deviceId } } b: devices(filter: { includeDecommissioned: true }) { nodes { deviceId } } }',
      );
      expect(listed.data).toMatchObject({ a: { nodes: [] }, b: { nodes: [{ deviceId: 'core-1' }] } });
    });

    it('generates the id of a device registered without one', async () => {
      const response = await api.gql<{ registerDevice: Write }>('operator-a', register, {
        input: { name: 'anonymous', address: 'host.example.net', kind: 'server' },
      });
      expect(response.data?.registerDevice.streamId).toMatch(/^device-[0-9a-f-]{36}$/);
      const deviceId = response.data!.registerDevice.streamId.slice('device-'.length);
      expect(await readDevice(deviceId)).toMatchObject({ name: 'anonymous', version: '0' });
    });

    it('answers VERSION_CONFLICT to a stale expectedVersion and writes nothing', async () => {
      await api.gql('operator-a', register, { input: device('stale-1') });
      await api.gql(
        'operator-a',
        'mutation { updateDevice(deviceId: "stale-1", changes: { name: "first" }) { version } }',
      );
      const stale = await api.gql(
        'operator-a',
        'mutation { updateDevice(deviceId: "stale-1", expectedVersion: "0", changes: { name: "second" }) { version } }',
      );
      expect(codes(stale)).toEqual(['VERSION_CONFLICT']);
      expect(stale.errors?.[0]?.extensions?.details).toMatchObject({ expected: '0', actual: '1' });
      expect(await readDevice('stale-1')).toMatchObject({ name: 'first', version: '1' });
    });

    it('rejects malformed input with VALIDATION_FAILED and keeps serving', async () => {
      await api.gql('operator-a', register, { input: device('valid-1') });
      const badAddress = await api.gql('operator-a', register, {
        input: device('bad-1', { address: '999.1.1.1' }),
      });
      expect(codes(badAddress)).toEqual(['VALIDATION_FAILED']);
      expect(JSON.stringify(badAddress.errors?.[0]?.extensions?.details)).toContain('address');
      expect(
        codes(await api.gql('operator-a', register, { input: device('bad-2', { kind: 'toaster' }) })),
      ).toEqual(['VALIDATION_FAILED']);
      expect(codes(await api.gql('operator-a', '{ devices(first: "many") { nodes { deviceId } } }'))).toEqual(
        ['VALIDATION_FAILED'],
      );
      expect(codes(await api.gql('operator-a', '{ devices { nodes { deviceId } '))).toEqual([
        'VALIDATION_FAILED',
      ]);
      expect(
        codes(await api.gql('operator-a', '{ devices(after: "not-a-cursor") { nodes { deviceId } } }')),
      ).toEqual(['VALIDATION_FAILED']);
      expect(codes(await api.gql('operator-a', '{ devices(first: 1000) { nodes { deviceId } } }'))).toEqual([
        'VALIDATION_FAILED',
      ]);
      const window = await api.gql(
        'operator-a',
        `mutation ($input: ScheduleMaintenanceInput!) { scheduleMaintenance(input: $input) { version } }`,
        { input: { deviceId: 'valid-1', startsAt: 'tomorrow', endsAt: '2030-01-01T00:00:00Z', reason: 'x' } },
      );
      expect(codes(window)).toEqual(['VALIDATION_FAILED']);
      const inverted = await api.gql(
        'operator-a',
        `mutation { scheduleMaintenance(input: { deviceId: "valid-1", startsAt: "2030-01-02T00:00:00Z", endsAt: "2030-01-01T00:00:00Z", reason: "x" }) { version } }`,
      );
      expect(codes(inverted)).toEqual(['VALIDATION_FAILED']);
      // Typed, readable errors: no stack trace, source path or SQL reaches the client.
      for (const error of [badAddress, window, inverted].flatMap((response) => response.errors ?? [])) {
        expect(error.message).not.toMatch(/\n\s+at |\.ts:\d|\bselect\b|\binsert\b/i);
        expect(error).not.toHaveProperty('stack');
      }
      expect((await api.gql('operator-a', '{ fleetSummary { total } }')).errors).toBeUndefined();
    });

    it('filters by status list, all of several tags, location and text, and pages with cursors', async () => {
      for (const [id, tags, location] of [
        ['f-1', ['edge', 'site:a'], 'Paris'],
        ['f-2', ['edge'], 'Paris'],
        ['f-3', ['edge', 'site:a'], 'Berlin'],
        ['f-4', ['core', 'site:a'], 'paris'],
      ] as const)
        await api.gql('operator-a', register, { input: device(id, { tags, location }) });
      await api.command('org-a', {
        type: 'ChangeDeviceStatus',
        data: { deviceId: 'f-1', to: 'down', reason: 'no reply' },
      });
      await api.command('org-a', {
        type: 'ChangeDeviceStatus',
        data: { deviceId: 'f-3', to: 'up', reason: 'replies' },
      });
      await api.settle();
      const ids = async (filter: Record<string, unknown>) => {
        const response = await api.gql<{ devices: { nodes: { deviceId: string }[] } }>(
          'operator-a',
          'query ($filter: DeviceFilter) { devices(filter: $filter) { nodes { deviceId } } }',
          { filter },
        );
        expect(response.errors).toBeUndefined();
        return response.data?.devices.nodes.map((node) => node.deviceId);
      };
      expect(await ids({ tags: ['edge', 'site:a'] })).toEqual(['f-1', 'f-3']);
      expect(await ids({ tags: ['site:a'], location: 'PARIS' })).toEqual(['f-1', 'f-4']);
      expect(await ids({ status: ['down', 'up'], text: 'f-' })).toEqual(['f-1', 'f-3']);
      expect(await ids({ text: 'F-2' })).toEqual(['f-2']);

      const first = await api.gql<{
        devices: {
          edges: { cursor: string; node: { deviceId: string } }[];
          pageInfo: { endCursor: string; hasNextPage: boolean };
        };
      }>(
        'operator-a',
        '{ devices(first: 2, filter: { text: "f-" }) { edges { cursor node { deviceId } } pageInfo { endCursor hasNextPage } } }',
      );
      const page = first.data!.devices;
      expect(page.edges.map((edge) => edge.node.deviceId)).toEqual(['f-1', 'f-2']);
      expect(page.pageInfo.hasNextPage).toBe(true);
      expect(page.edges[1]?.cursor).toBe(page.pageInfo.endCursor);
      const rest = await api.gql<{
        devices: { nodes: { deviceId: string }[]; pageInfo: { hasNextPage: boolean } };
      }>(
        'operator-a',
        'query ($after: String) { devices(first: 2, after: $after, filter: { text: "f-" }) { nodes { deviceId } pageInfo { hasNextPage } } }',
        { after: page.edges[0]?.cursor },
      );
      expect(rest.data?.devices).toEqual({
        nodes: [{ deviceId: 'f-2' }, { deviceId: 'f-3' }],
        pageInfo: { hasNextPage: true },
      });
    });

    it('shows a device’s status timeline, availability, latest metrics and metric series by tier', async () => {
      await api.gql('operator-a', register, { input: device('m-1') });
      await api.command('org-a', {
        type: 'ChangeDeviceStatus',
        data: { deviceId: 'm-1', to: 'up', reason: 'replies' },
      });
      await api.command('org-a', {
        type: 'ChangeDeviceStatus',
        data: { deviceId: 'm-1', to: 'down', reason: 'no reply' },
      });
      const now = Date.now();
      const at = (secondsAgo: number) => new Date(now - secondsAgo * 1_000).toISOString();
      await api.store.appendToStream(
        'observations-m-1',
        [
          observation('org-a', 'm-1', at(120), 1, 'icmp'),
          observation('org-a', 'm-1', at(60), 2, 'icmp'),
          observation('org-a', 'm-1', at(30), 3, 'snmp', 2),
        ],
        { expectedVersion: 'any' },
      );
      await api.settle();
      const response = await api.gql<{
        device: {
          statusTimeline: { from: string; to: string; reason: string }[];
          availability: { window: string; outages: number }[];
          latest: { observedAt: string; rttAvgMs: number; reachable: boolean };
        };
        deviceMetrics: { resolution: string; points: { avg: number; samples: number }[] };
        hourly: { resolution: string };
      }>(
        'operator-a',
        `query ($from: DateTime!, $to: DateTime!) {
          device(deviceId: "m-1") {
            statusTimeline(limit: 5) { from to reason }
            availability { window outages }
            latest { observedAt rttAvgMs reachable }
          }
          deviceMetrics(deviceId: "m-1", metric: rttAvgMs, from: $from, to: $to) { resolution points { avg samples } }
          hourly: deviceMetrics(deviceId: "m-1", metric: rttAvgMs, from: $from, to: $to, resolution: oneHour) { resolution }
        }`,
        { from: at(600), to: at(0) },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.device.statusTimeline).toEqual([
        { from: 'up', to: 'down', reason: 'no reply' },
        { from: 'unknown', to: 'up', reason: 'replies' },
      ]);
      expect(response.data?.device.availability.map((window) => [window.window, window.outages])).toEqual([
        ['24h', 1],
        ['7d', 1],
        ['30d', 1],
      ]);
      expect(response.data?.device.latest).toMatchObject({
        observedAt: at(30),
        rttAvgMs: 2.4,
        reachable: true,
      });
      // Six hours or less, still within raw retention: the raw tier, one point per observation.
      expect(response.data?.deviceMetrics).toEqual({
        resolution: 'raw',
        points: [
          { avg: 1.7, samples: 1 },
          { avg: 2.4, samples: 1 },
        ],
      });
      expect(response.data?.hourly.resolution).toBe('oneHour');
      const eth1 = await api.gql<{ deviceMetrics: { ifIndex: number; points: { avg: number }[] } }>(
        'operator-a',
        `{ deviceMetrics(deviceId: "m-1", metric: inBps, ifIndex: 2, from: "${at(600)}", to: "${at(0)}") { ifIndex points { avg } } }`,
      );
      expect(eth1.data?.deviceMetrics).toEqual({ ifIndex: 2, points: [{ avg: 1_000_000 + 3 * 1_013 + 1 }] });
      const missingIf = await api.gql(
        'operator-a',
        `{ deviceMetrics(deviceId: "m-1", metric: inBps, from: "${at(600)}", to: "${at(0)}") { resolution } }`,
      );
      expect(codes(missingIf)).toEqual(['VALIDATION_FAILED']);
    });
  });

  describe('alerts', () => {
    const raise = (alertKey: string, alertId: string, deviceId: string, severity = 'major') =>
      api.command('org-a', {
        type: 'RaiseAlert',
        data: {
          alertId,
          alertKey,
          deviceId,
          ruleId: null,
          condition: 'device-down',
          severity,
          summary: `${deviceId} is down`,
          details: { lossPct: 100 },
        },
      });

    beforeAll(async () => {
      for (const id of ['al-dev-1', 'al-dev-2', 'al-dev-3'])
        await api.gql('operator-a', register, { input: device(id, { tags: ['alerting'] }) });
      await raise('key-1', 'alert-1', 'al-dev-1', 'critical');
      await raise('key-2', 'alert-2', 'al-dev-2', 'major');
      await raise('key-3', 'alert-3', 'al-dev-3', 'minor');
      await api.settle();
    });

    it('lists alerts newest first with filters and cursors, each with its device in one batched query', async () => {
      api.calls.clear();
      const all = await api.gql<{
        alerts: { nodes: { alertId: string; device: { name: string }; version: string }[] };
      }>('operator-a', '{ alerts { nodes { alertId severity version device { name } timeline { type } } } }');
      expect(all.errors).toBeUndefined();
      expect(
        all.data?.alerts.nodes.map((alert) => [alert.alertId, alert.device.name, alert.version]),
      ).toEqual([
        ['alert-3', 'al-dev-3', '0'],
        ['alert-2', 'al-dev-2', '0'],
        ['alert-1', 'al-dev-1', '0'],
      ]);
      // Three alerts, one query each for their devices, timelines and versions: no N+1.
      expect(api.calls.get('getDevicesByIds')).toBe(1);
      expect(api.calls.get('alertTimelines')).toBe(1);
      expect(api.calls.get('alertStreamVersions')).toBe(1);

      const filtered = await api.gql<{ alerts: { nodes: { alertId: string }[] } }>(
        'operator-a',
        '{ alerts(filter: { severity: [critical, minor], state: [open] }) { nodes { alertId } } }',
      );
      expect(filtered.data?.alerts.nodes).toEqual([{ alertId: 'alert-3' }, { alertId: 'alert-1' }]);
      const byDevice = await api.gql<{ alerts: { nodes: { alertId: string }[] } }>(
        'operator-a',
        '{ alerts(filter: { deviceId: "al-dev-2" }) { nodes { alertId } } }',
      );
      expect(byDevice.data?.alerts.nodes).toEqual([{ alertId: 'alert-2' }]);
      const page = await api.gql<{
        alerts: { nodes: { alertId: string }[]; pageInfo: { endCursor: string } };
      }>('operator-a', '{ alerts(first: 2) { nodes { alertId } pageInfo { endCursor } } }');
      const next = await api.gql<{
        alerts: { nodes: { alertId: string }[]; pageInfo: { hasNextPage: boolean } };
      }>(
        'operator-a',
        'query ($after: String) { alerts(first: 2, after: $after) { nodes { alertId } pageInfo { hasNextPage } } }',
        { after: page.data?.alerts.pageInfo.endCursor },
      );
      expect(next.data?.alerts).toEqual({
        nodes: [{ alertId: 'alert-1' }],
        pageInfo: { hasNextPage: false },
      });
    });

    it('acknowledges with a note, unacknowledges, adds a note and resolves, each visible in the read model', async () => {
      const state = async () => {
        await api.settle();
        const response = await api.gql<{
          alert: {
            state: string;
            acknowledgedBy: { id: string } | null;
            acknowledgementNote: string | null;
            resolvedBy: { id: string } | null;
            version: string;
            timeline: { type: string; actor: { id: string }; data: { note?: string; text?: string } }[];
          };
        }>(
          'operator-a',
          '{ alert(alertId: "alert-2") { state acknowledgedBy { id } acknowledgementNote resolvedBy { id } version timeline { type actor { id } data } } }',
        );
        expect(response.errors).toBeUndefined();
        return response.data!.alert;
      };
      const ack = await api.gql<{ acknowledgeAlert: { version: string } }>(
        'operator-a',
        'mutation { acknowledgeAlert(alertId: "alert-2", note: "on it", expectedVersion: "0") { streamId version } }',
      );
      expect(ack.data?.acknowledgeAlert).toEqual({ streamId: 'alert-key-2', version: '1' });
      expect(await state()).toMatchObject({
        state: 'acknowledged',
        acknowledgedBy: { id: 'alice' },
        acknowledgementNote: 'on it',
        version: '1',
      });

      expect(
        codes(
          await api.gql(
            'operator-a',
            'mutation { acknowledgeAlert(alertId: "alert-2", expectedVersion: "0") { version } }',
          ),
        ),
      ).toEqual(['VERSION_CONFLICT']);
      expect(
        codes(await api.gql('operator-a', 'mutation { acknowledgeAlert(alertId: "alert-2") { version } }')),
      ).toEqual(['ILLEGAL_STATE']);

      await api.gql(
        'operator-a',
        'mutation { unacknowledgeAlert(alertId: "alert-2", note: "wrong team") { version } }',
      );
      expect(await state()).toMatchObject({ state: 'open', acknowledgedBy: null });
      await api.gql(
        'operator-a',
        'mutation { addAlertNote(alertId: "alert-2", text: "power supply suspected") { version } }',
      );
      const resolved = await api.gql<{ resolveAlert: { version: string } }>(
        'operator-a',
        'mutation { resolveAlert(alertId: "alert-2", note: "PSU replaced", expectedVersion: "3") { version } }',
      );
      expect(resolved.data?.resolveAlert.version).toBe('4');
      const final = await state();
      expect(final).toMatchObject({ state: 'resolved', resolvedBy: { id: 'alice' }, version: '4' });
      expect(
        final.timeline.map((entry) => [
          entry.type,
          entry.actor.id,
          entry.data.note ?? entry.data.text ?? null,
        ]),
      ).toEqual([
        ['AlertRaised', 'alerting-reactor', null],
        ['AlertAcknowledged', 'alice', 'on it'],
        ['AlertUnacknowledged', 'alice', 'wrong team'],
        ['AlertNoteAdded', 'alice', 'power supply suspected'],
        ['AlertResolved', 'alice', 'PSU replaced'],
      ]);
    });

    it('counts open alerts in the fleet summary and shows a device’s active alerts', async () => {
      await api.settle();
      api.calls.clear();
      const response = await api.gql<{
        fleetSummary: { openAlerts: number; total: number };
        devices: { nodes: { deviceId: string; activeAlerts: { alertId: string }[] }[] };
      }>(
        'operator-a',
        '{ fleetSummary { openAlerts total } devices(filter: { tags: ["alerting"] }) { nodes { deviceId activeAlerts { alertId } availability { window } } } }',
      );
      // Three devices, one query for all their active alerts and one for all their availability.
      expect(api.calls.get('activeAlertsOfDevices')).toBe(1);
      expect(api.calls.get('availabilityOfDevices')).toBe(1);
      expect(response.errors).toBeUndefined();
      expect(response.data?.fleetSummary.openAlerts).toBe(2);
      expect(response.data?.devices.nodes).toMatchObject([
        { deviceId: 'al-dev-1', activeAlerts: [{ alertId: 'alert-1' }] },
        { deviceId: 'al-dev-2', activeAlerts: [] },
        { deviceId: 'al-dev-3', activeAlerts: [{ alertId: 'alert-3' }] },
      ]);
    });
  });

  describe('alert rules', () => {
    const define = `mutation ($input: DefineAlertRuleInput!) { defineAlertRule(input: $input) { ${WRITE} } }`;
    const rule = {
      name: 'high loss',
      metric: 'icmp.lossPct',
      operator: '>',
      threshold: 20,
      clearThreshold: 10,
      severity: 'major',
    };

    it('defines, changes and deletes rules, with optimistic concurrency', async () => {
      const defined = await api.gql<{ defineAlertRule: Write }>('operator-a', define, {
        input: { ...rule, ruleId: 'rule-1', scope: { tags: ['core'] }, forSeconds: 60 },
      });
      expect(defined.data?.defineAlertRule).toEqual({
        streamId: 'alertrule-rule-1',
        version: '0',
        eventsWritten: 1,
      });
      const anonymous = await api.gql<{ defineAlertRule: Write }>('operator-a', define, {
        input: { ...rule, name: 'slow' },
      });
      expect(anonymous.data?.defineAlertRule.streamId).toMatch(/^alertrule-[0-9a-f-]{36}$/);
      await api.settle();
      const listed = await api.gql<{
        alertRules: {
          ruleId: string;
          name: string;
          scope: { tags: string[] };
          forSeconds: number;
          version: string;
        }[];
      }>('operator-a', '{ alertRules { ruleId name forSeconds scope { deviceIds tags } enabled version } }');
      expect(listed.data?.alertRules.map((r) => r.name)).toEqual(['high loss', 'slow']);
      expect(listed.data?.alertRules[0]).toMatchObject({
        ruleId: 'rule-1',
        forSeconds: 60,
        scope: { tags: ['core'] },
        version: '0',
      });

      const changed = await api.gql<{ changeAlertRule: Write }>(
        'operator-a',
        'mutation { changeAlertRule(ruleId: "rule-1", expectedVersion: "0", changes: { threshold: 30, enabled: false }) { version } }',
      );
      expect(changed.data?.changeAlertRule.version).toBe('1');
      const stale = await api.gql(
        'operator-a',
        'mutation { changeAlertRule(ruleId: "rule-1", expectedVersion: "0", changes: { threshold: 40 }) { version } }',
      );
      expect(codes(stale)).toEqual(['VERSION_CONFLICT']);
      const hysteresis = await api.gql(
        'operator-a',
        'mutation { changeAlertRule(ruleId: "rule-1", changes: { clearThreshold: 50 }) { version } }',
      );
      expect(codes(hysteresis)).toEqual(['VALIDATION_FAILED']);
      await api.settle();
      expect(
        (
          await api.gql<{ alertRule: unknown }>(
            'operator-a',
            '{ alertRule(ruleId: "rule-1") { threshold enabled version deletedAt } }',
          )
        ).data,
      ).toEqual({ alertRule: { threshold: 30, enabled: false, version: '1', deletedAt: null } });

      await api.gql(
        'operator-a',
        'mutation { deleteAlertRule(ruleId: "rule-1", expectedVersion: "1") { version } }',
      );
      await api.settle();
      const after = await api.gql<{
        alertRules: { ruleId: string }[];
        all: { ruleId: string; deletedAt: string | null }[];
      }>(
        'operator-a',
        '{ alertRules { ruleId } all: alertRules(includeDeleted: true) { ruleId deletedAt } }',
      );
      expect(after.data?.alertRules.map((r) => r.ruleId)).not.toContain('rule-1');
      expect(after.data?.all.find((r) => r.ruleId === 'rule-1')?.deletedAt).toEqual(expect.any(String));
    });
  });

  describe('tenancy and permissions', () => {
    beforeAll(async () => {
      await api.gql('operator-a', register, { input: device('secret-1') });
      await api.command('org-a', {
        type: 'RaiseAlert',
        data: {
          alertId: 'secret-alert',
          alertKey: 'secret-key',
          deviceId: 'secret-1',
          ruleId: null,
          condition: 'device-down',
          severity: 'critical',
          summary: 'secret-1 is down',
          details: {},
        },
      });
      await api.gql(
        'operator-a',
        'mutation { defineAlertRule(input: { ruleId: "secret-rule", name: "r", metric: "icmp.rttAvgMs", operator: ">", threshold: 100, clearThreshold: 50, severity: "minor" }) { version } }',
      );
      await api.settle();
    });

    it('shows another organization nothing of org-a', async () => {
      const response = await api.gql<Record<string, unknown>>(
        'operator-b',
        `{ device(deviceId: "secret-1") { deviceId }
           devices(filter: { includeDecommissioned: true }) { nodes { deviceId } }
           alert(alertId: "secret-alert") { alertId }
           alerts { nodes { alertId } }
           alertRule(ruleId: "secret-rule") { ruleId }
           alertRules(includeDeleted: true) { ruleId }
           fleetSummary { total openAlerts } }`,
      );
      expect(response).toEqual({
        data: {
          device: null,
          devices: { nodes: [] },
          alert: null,
          alerts: { nodes: [] },
          alertRule: null,
          alertRules: [],
          fleetSummary: { total: 0, openAlerts: 0 },
        },
      });
      const metrics = await api.gql(
        'operator-b',
        '{ deviceMetrics(deviceId: "secret-1", metric: rttAvgMs, from: "2026-01-01T00:00:00Z", to: "2026-01-01T01:00:00Z") { resolution } }',
      );
      const missing = await api.gql(
        'operator-b',
        '{ deviceMetrics(deviceId: "never-1", metric: rttAvgMs, from: "2026-01-01T00:00:00Z", to: "2026-01-01T01:00:00Z") { resolution } }',
      );
      expect(codes(metrics)).toEqual(['NOT_FOUND']);
      expect(metrics.errors?.[0]?.message).toBe(missing.errors?.[0]?.message.replace('never-1', 'secret-1'));
    });

    it('refuses every write on org-a’s entities exactly as on missing ones, expectedVersion or not', async () => {
      const writes = (id: string, alertId: string, ruleId: string) => [
        `updateDevice(deviceId: "${id}", changes: { name: "x" }) { version }`,
        `updateDevice(deviceId: "${id}", expectedVersion: "7", changes: { name: "x" }) { version }`,
        `decommissionDevice(deviceId: "${id}", reason: "x", expectedVersion: "0") { version }`,
        `pauseMonitoring(deviceId: "${id}", reason: "x") { version }`,
        `resumeMonitoring(deviceId: "${id}") { version }`,
        `scheduleMaintenance(input: { deviceId: "${id}", startsAt: "2030-01-01T00:00:00Z", endsAt: "2030-01-02T00:00:00Z", reason: "x" }) { version }`,
        `cancelMaintenance(deviceId: "${id}", windowId: "w", expectedVersion: "0") { version }`,
        `acknowledgeAlert(alertId: "${alertId}", note: "x", expectedVersion: "0") { version }`,
        `unacknowledgeAlert(alertId: "${alertId}") { version }`,
        `resolveAlert(alertId: "${alertId}", expectedVersion: "3") { version }`,
        `addAlertNote(alertId: "${alertId}", text: "x") { version }`,
        `changeAlertRule(ruleId: "${ruleId}", changes: { threshold: 1 }, expectedVersion: "0") { version }`,
        `deleteAlertRule(ruleId: "${ruleId}") { version }`,
      ];
      const foreign = writes('secret-1', 'secret-alert', 'secret-rule');
      const missing = writes('never-1', 'never-alert', 'never-rule');
      for (const [i, mutation] of foreign.entries()) {
        const theirs = await api.gql('operator-b', `mutation { ${mutation} }`);
        const nothing = await api.gql('operator-b', `mutation { ${missing[i]} }`);
        expect(codes(theirs), mutation).toEqual(['NOT_FOUND']);
        expect(theirs.errors?.[0]?.message.replaceAll(/secret-(1|alert|rule)/g, 'ID'), mutation).toBe(
          nothing.errors?.[0]?.message.replaceAll(/never-(1|alert|rule)/g, 'ID'),
        );
      }
      const taken = await api.gql('operator-b', register, { input: device('secret-1') });
      expect(codes(taken)).toEqual(['ILLEGAL_STATE']);
      expect(JSON.stringify(taken)).not.toContain('org-a');

      expect(await readDevice('secret-1')).toMatchObject({
        name: 'secret-1',
        version: '0',
        monitoringPaused: false,
      });
      const alert = await api.gql<{ alert: { state: string; version: string } }>(
        'operator-a',
        '{ alert(alertId: "secret-alert") { state version } }',
      );
      expect(alert.data?.alert).toEqual({ state: 'open', version: '0' });
    });

    it('refuses callers without the permission or without credentials', async () => {
      expect(codes(await api.gql('viewer-a', register, { input: device('viewer-made') }))).toEqual([
        'FORBIDDEN',
      ]);
      expect(
        codes(
          await api.gql('viewer-a', 'mutation { acknowledgeAlert(alertId: "secret-alert") { version } }'),
        ),
      ).toEqual(['FORBIDDEN']);
      expect(
        codes(
          await api.gql('integrator-a', 'mutation { deleteAlertRule(ruleId: "secret-rule") { version } }'),
        ),
      ).toEqual(['FORBIDDEN']);
      expect((await api.gql('viewer-a', '{ device(deviceId: "secret-1") { deviceId } }')).data).toEqual({
        device: { deviceId: 'secret-1' },
      });
      expect(codes(await api.gql(null, '{ devices { nodes { deviceId } } }'))).toEqual(['UNAUTHENTICATED']);
    });
  });
});
