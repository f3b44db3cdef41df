import { describe, expect, it } from 'vitest';
import { blankDeviceForm, deviceChanges, formFromDevice, validateDeviceForm } from './device-form';
import type { FleetDevice } from './fleet-device';

describe('validateDeviceForm', () => {
  it('requires a name and an address, and at least one probe', () => {
    const result = validateDeviceForm({ ...blankDeviceForm, icmpEnabled: false });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['address', 'icmpEnabled', 'name']);
  });

  it('builds the register input with normalised tags and probe settings', () => {
    const result = validateDeviceForm({
      ...blankDeviceForm,
      name: ' web-1 ',
      address: '127.0.0.1',
      tags: 'Core, edge, core',
      icmpEnabled: false,
      tcpPorts: '8080, 443',
      tcpIntervalSeconds: '5',
      tcpTimeoutMs: '1000',
    });
    expect(result).toEqual({
      ok: true,
      input: {
        name: 'web-1',
        address: '127.0.0.1',
        kind: 'server',
        location: null,
        tags: ['core', 'edge'],
        parentId: null,
        probes: {
          icmp: { enabled: false, intervalSeconds: 30 },
          tcp: { ports: [8080, 443], intervalSeconds: 5, timeoutMs: 1000 },
          snmp: null,
        },
      },
    });
  });

  it('rejects bad ports, intervals, tags and a secret-looking credential reference', () => {
    const result = validateDeviceForm({
      ...blankDeviceForm,
      name: 'x',
      address: 'x.example',
      tags: 'Bad Tag',
      tcpPorts: '70000',
      icmpIntervalSeconds: '1',
      snmpEnabled: true,
      snmpCredentialRef: 'public community',
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(Object.keys(result.errors).sort()).toEqual([
        'icmpIntervalSeconds',
        'snmpCredentialRef',
        'tags',
        'tcpPorts',
      ]);
  });

  it('keeps probe settings the form does not show when editing', () => {
    const result = validateDeviceForm(
      { ...blankDeviceForm, name: 'a', address: '127.0.0.1' },
      { icmp: { enabled: true, intervalSeconds: 30, packets: 5, timeoutMs: 900 }, tcp: null, snmp: null },
    );
    expect(result.ok && result.input.probes).toEqual({
      icmp: { enabled: true, intervalSeconds: 30, packets: 5, timeoutMs: 900 },
      tcp: null,
      snmp: null,
    });
  });
});

describe('edit', () => {
  const device: FleetDevice = {
    deviceId: 'd1',
    name: 'core-1',
    address: '127.0.0.1',
    kind: 'router',
    location: 'AMS1',
    tags: ['core'],
    parentId: null,
    status: 'up',
    statusReason: null,
    statusChangedAt: null,
    monitoringPaused: false,
    inMaintenance: false,
    updatedAt: '2026-11-21T10:00:00Z',
    latest: { observedAt: null, rttAvgMs: null, lossPct: null },
  };
  const probes = {
    icmp: { enabled: true, intervalSeconds: 30 },
    tcp: { ports: [22], intervalSeconds: 30, timeoutMs: 3000 },
    snmp: null,
  };

  it('fills the form from the device and its probes', () => {
    const form = formFromDevice(device, probes);
    expect(form).toMatchObject({
      name: 'core-1',
      kind: 'router',
      location: 'AMS1',
      tags: 'core',
      tcpPorts: '22',
    });
  });

  it('sends only what changed', () => {
    const before = validateDeviceForm(formFromDevice(device, probes), probes);
    const after = validateDeviceForm({ ...formFromDevice(device, probes), location: 'FRA2' }, probes);
    expect(before.ok && after.ok && deviceChanges(before.input, after.input)).toEqual({ location: 'FRA2' });
  });
});
