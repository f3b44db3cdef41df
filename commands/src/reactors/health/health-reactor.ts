import {
  type DeviceState,
  defaultHealthThresholds,
  deviceDecider,
  evaluateHealth,
  evolveDevice,
  type HealthStatus,
  type HealthThresholds,
  healthWindowSize,
  isMonitored,
  judgeObservation,
  streamCategories,
  streamId,
} from '@netpulse/domain';
import { causeOf } from '../cause.js';
import { byDevice, forEachLimited, readObservationWindow, windowUpTo } from '../observation-window.js';
import { type ParsedEvent, parseEvents } from '../parse-event.js';
import type { Reactor, ReactorContext } from '../reactor.js';
import { deviceTarget } from '../targets.js';

export type HealthReactorOptions = Readonly<{
  name?: string;
  thresholds?: HealthThresholds;
  /** Devices evaluated at once within a batch. */
  concurrency?: number;
  batchSize?: number;
}>;

export const HEALTH_REACTOR = 'health-reactor';

const loadDevice = async (context: ReactorContext, deviceId: string): Promise<DeviceState> =>
  (await context.store.aggregateStream(streamId(streamCategories.device, deviceId), deviceDecider)).state;

const parentHealthOf = async (context: ReactorContext, device: DeviceState): Promise<HealthStatus | null> => {
  if (device.status === 'unregistered' || !device.profile.parentId) return null;
  const parent = await loadDevice(context, device.profile.parentId);
  return parent.status === 'active' ? parent.health : null;
};

/**
 * Observations → device status. Each observation is judged with the device's recent observations
 * up to it, its recorded status and its parent's status (pure policy `evaluateHealth`); a transition
 * becomes ChangeDeviceStatus decided at the observation's time, with a command id derived from the
 * observation. Observations older than the device's last status change were already judged by an
 * earlier run (or are superseded) and are passed over.
 */
export const createHealthReactor = (options: HealthReactorOptions = {}): Reactor => {
  const name = options.name ?? HEALTH_REACTOR;
  const thresholds = options.thresholds ?? defaultHealthThresholds;
  const windowSize = healthWindowSize(thresholds);

  const judgeDevice = async (
    context: ReactorContext,
    deviceId: string,
    observations: readonly ParsedEvent<'DeviceObserved'>[],
  ) => {
    let device = await loadDevice(context, deviceId);
    if (!isMonitored(device) || device.status !== 'active') return;
    const last = observations[observations.length - 1]!;
    const window = await readObservationWindow(context.store, deviceId, {
      lastVersion: last.recorded.streamVersion,
      minCount: observations.length + windowSize,
    });
    for (const { recorded, event } of observations) {
      if (device.status !== 'active') return;
      const at = new Date(event.data.observedAt);
      if (device.statusChangedAt !== null && at.getTime() < Date.parse(device.statusChangedAt)) continue;
      const decision = evaluateHealth({
        current: device.health,
        lastChangedAt: device.statusChangedAt === null ? null : new Date(device.statusChangedAt),
        recent: windowUpTo(window, recorded.streamVersion, windowSize),
        // The parent only matters for a failure: skip its read on the (common) healthy answer.
        parentHealth:
          judgeObservation(event.data, thresholds).health === 'down'
            ? await parentHealthOf(context, device)
            : null,
        thresholds,
      });
      if (!decision) continue;
      const { events } = await context.send({
        target: deviceTarget(deviceId),
        cause: causeOf(recorded),
        purpose: 'status',
        command: {
          type: 'ChangeDeviceStatus',
          data: { deviceId, to: decision.to, reason: decision.reason.slice(0, 500) },
        },
        now: at,
      });
      for (const changed of events) device = evolveDevice(device, changed);
      if (events.length === 0) device = await loadDevice(context, deviceId);
    }
  };

  return {
    name,
    filter: { categories: [streamCategories.observations], eventTypes: ['DeviceObserved'] },
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    handle: async (events, context) => {
      const { parsed, malformed } = parseEvents(events, ['DeviceObserved']);
      if (malformed.length > 0) {
        context.metrics.eventsSkipped(name, 'malformed', malformed.length);
        context.logger.warn(
          { reactor: name, eventIds: malformed.map((event) => event.id).slice(0, 20) },
          'skipped malformed observations',
        );
      }
      const devices = [...byDevice(parsed)];
      await forEachLimited(devices, options.concurrency ?? 8, ([deviceId, observations]) =>
        judgeDevice(context, deviceId, observations),
      );
    },
  };
};
