/**
 * TypeScript names for the API's shared GraphQL types (api/src/graphql/schema/common.ts). Each
 * operation declares the exact shape it selects; these are the building blocks.
 */

/** ISO-8601 date-time with offset. */
export type DateTime = string;
/** A 64-bit integer as a decimal string (stream versions, positions). */
export type BigIntString = string;
/** Arbitrary JSON. */
export type Json = unknown;

export const deviceStatuses = ['unknown', 'up', 'degraded', 'down', 'unreachable'] as const;
export type DeviceStatus = (typeof deviceStatuses)[number];

/** Least to most severe. */
export const severities = ['info', 'warning', 'minor', 'major', 'critical'] as const;
export type Severity = (typeof severities)[number];

export const alertStates = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof alertStates)[number];

export const roles = ['admin', 'operator', 'viewer', 'auditor', 'integrator'] as const;
export type Role = (typeof roles)[number];

export const deviceKinds = [
  'router',
  'switch',
  'firewall',
  'server',
  'access-point',
  'load-balancer',
  'other',
] as const;
export type DeviceKind = (typeof deviceKinds)[number];

export type Actor = Readonly<{ kind: string; id: string }>;

export type PageInfo = Readonly<{ endCursor: string | null; hasNextPage: boolean }>;

export type WriteResult = Readonly<{ streamId: string; version: BigIntString; eventsWritten: number }>;

export const isDeviceStatus = (value: string): value is DeviceStatus =>
  (deviceStatuses as readonly string[]).includes(value);
export const isSeverity = (value: string): value is Severity =>
  (severities as readonly string[]).includes(value);
