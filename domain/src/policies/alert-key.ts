import { deterministicId } from '../shared/deterministic-id.js';

/** The condition a device status raises: one alert per device for down-like states, one for degraded. */
export const deviceConditions = { down: 'device-down', degraded: 'device-degraded' } as const;
export type DeviceCondition = (typeof deviceConditions)[keyof typeof deviceConditions];

/** What an alert is about: a device plus either a built-in condition or a metric rule. */
export type ReductionKey = Readonly<{ deviceId: string } & ({ condition: string } | { ruleId: string })>;

/**
 * The alert key (and so the stream `alert-<key>`) of a reduction key. Repeats of the same problem land
 * on the same stream and count up instead of opening new alerts. Rule ids and device ids are unique
 * across organizations, so the key needs no organization.
 */
export const alertKeyOf = (key: ReductionKey): string =>
  deterministicId('alert-key', key.deviceId, 'ruleId' in key ? `rule:${key.ruleId}` : key.condition);

/**
 * The id of the instance a raise would open: derived from the event that caused it, so a replayed
 * raise names the same instance, and a recurrence after resolution names a new one.
 */
export const alertInstanceIdOf = (alertKey: string, causingEventId: string): string =>
  deterministicId('alert-instance', alertKey, causingEventId);
