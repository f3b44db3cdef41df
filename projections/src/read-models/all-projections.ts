import type { Projection } from '../runner/projection.js';
import { alertRulesProjection } from './alert-rules/alert-rules-projection.js';
import { alertsProjection } from './alerts/alerts-projection.js';
import { auditProjection } from './audit/audit-projection.js';
import { devicesProjection } from './devices/devices-projection.js';
import { identitiesProjection } from './identities/identities-projection.js';
import type { MetricsStorageKind } from './metrics/detect-timescale.js';
import { metricsProjection } from './metrics/metrics-projection.js';
import { outagesProjection } from './outages/outages-projection.js';

export const projectionNames = [
  'devices',
  'metrics',
  'outages',
  'alerts',
  'audit',
  'alert-rules',
  'identities',
] as const;
export type ProjectionName = (typeof projectionNames)[number];

/** Every read model NetPulse keeps; `metricsStorage` from `detectMetricsStorage(pool)`. */
export const allProjections = (metricsStorage: MetricsStorageKind): Projection[] => [
  devicesProjection(),
  metricsProjection(metricsStorage),
  outagesProjection(),
  alertsProjection(),
  auditProjection(),
  alertRulesProjection(),
  identitiesProjection(),
];
