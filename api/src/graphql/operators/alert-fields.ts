import type { AlertTimelineEntry, AlertView } from '@netpulse/projections';
import { type ApiContext, authorize } from '../context.js';
import { alertVersionLoader, timelineLoader } from './alert-loaders.js';
import { deviceLoader } from './device-loaders.js';

type AlertSource = AlertView & { timeline?: AlertTimelineEntry[] };

/** Fields of `Alert` that come from elsewhere than its row, batched across a page of alerts. */
export const alertFields = {
  device: async (alert: AlertSource, _args: unknown, context: ApiContext) => {
    const principal = authorize(context, 'device:read');
    return (await deviceLoader(context, principal).load(alert.deviceId)) ?? null;
  },

  timeline: async (alert: AlertSource, _args: unknown, context: ApiContext) => {
    const principal = authorize(context, 'alert:read');
    return alert.timeline ?? (await timelineLoader(context, principal).load(alert.alertId)) ?? [];
  },

  version: async (alert: AlertSource, _args: unknown, context: ApiContext) => {
    const principal = authorize(context, 'alert:read');
    return (await alertVersionLoader(context, principal).load(alert.alertId)) ?? null;
  },
};
