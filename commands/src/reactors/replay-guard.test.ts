import {
  type DeviceCommand,
  type DeviceEvent,
  deterministicId,
  deviceDecider,
  foldEvents,
  ProbeSettings,
} from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import { reactorMetadata } from './cause.js';
import { withReplayGuard } from './replay-guard.js';
import { deviceTarget } from './targets.js';

const cause = { eventId: 'obs-1', correlationId: 'corr-1', organizationId: 'org-1' };
const metadata = reactorMetadata('health-reactor', cause, 'status', new Date('2025-06-01T12:01:00.000Z'));
const command: DeviceCommand = {
  type: 'ChangeDeviceStatus',
  data: { deviceId: 'dev-1', to: 'down', reason: '3 consecutive failures' },
  metadata,
};
const recorded = (event: DeviceEvent, id: string) => ({
  ...event,
  id,
  metadata: { organizationId: 'org-1' },
});
const registered = recorded(
  {
    type: 'DeviceRegistered',
    data: {
      deviceId: 'dev-1',
      name: 'dev-1',
      address: '10.0.0.1',
      kind: 'switch',
      location: null,
      tags: [],
      parentId: null,
      probes: ProbeSettings.parse({}),
      registeredAt: '2025-06-01T00:00:00.000Z',
    },
  },
  'reg-1',
);
const statusChanged = (id: string, to: 'up' | 'down', changedAt: string) =>
  recorded(
    { type: 'DeviceStatusChanged', data: { deviceId: 'dev-1', from: 'unknown', to, reason: 'x', changedAt } },
    id,
  );

const guarded = withReplayGuard(deviceDecider, metadata.commandId, deviceTarget('dev-1').stale);
const decide = (events: readonly DeviceEvent[]) => guarded.decide(command, foldEvents(guarded, events));

describe('reactor commands', () => {
  it('derive their command id from reactor, cause and purpose, and carry the cause', () => {
    expect(metadata.commandId).toBe(deterministicId('health-reactor', 'obs-1', 'status'));
    expect(metadata).toMatchObject({
      organizationId: 'org-1',
      actor: { kind: 'system', id: 'health-reactor' },
      correlationId: 'corr-1',
      causationId: 'obs-1',
    });
  });
});

describe('replay guard', () => {
  it('given a fresh stream, decides as the decider does', () => {
    expect(decide([registered])).toHaveLength(1);
  });

  it('given the command’s own first event in the stream, decides nothing', () => {
    const own = statusChanged(deterministicId(metadata.commandId, 0), 'down', '2025-06-01T12:01:00.000Z');
    const later = statusChanged('other', 'up', '2025-06-01T12:00:30.000Z');
    expect(decide([registered, own, later])).toEqual([]);
  });

  it('given a status decided later than the command, decides nothing (a replayed cause)', () => {
    expect(decide([registered, statusChanged('later', 'up', '2025-06-01T12:05:00.000Z')])).toEqual([]);
    expect(decide([registered, statusChanged('earlier', 'up', '2025-06-01T12:00:00.000Z')])).toHaveLength(1);
  });
});
