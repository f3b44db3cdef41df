import type { z } from 'zod';
import {
  ALERTS_V1,
  AlertsV1,
  DEVICE_STATUS_V1,
  DEVICES_V1,
  DeviceStatusV1,
  DevicesV1,
  OBSERVATIONS_V1,
  ObservationsV1,
} from './integration-events.js';

export type IntegrationStreamName = 'deviceStatus' | 'alerts' | 'devices' | 'observations';

export type IntegrationStream = Readonly<{
  /** Schema id, version included; the topic is this with the configured prefix instead of `netpulse`. */
  schemaId: string;
  version: number;
  schema: z.ZodType;
  /** What the message key is, for the documentation. */
  key: string;
}>;

/** The published streams: one topic each. */
export const integrationStreams: Readonly<Record<IntegrationStreamName, IntegrationStream>> = {
  deviceStatus: { schemaId: DEVICE_STATUS_V1, version: 1, schema: DeviceStatusV1, key: 'deviceId' },
  alerts: { schemaId: ALERTS_V1, version: 1, schema: AlertsV1, key: 'alertKey' },
  devices: { schemaId: DEVICES_V1, version: 1, schema: DevicesV1, key: 'deviceId' },
  observations: { schemaId: OBSERVATIONS_V1, version: 1, schema: ObservationsV1, key: 'deviceId' },
};

export type IntegrationTopics = Readonly<Record<IntegrationStreamName, string>>;

/** Kafka's own rule for topic names, less the length a prefix may take. */
export const TOPIC_PREFIX_PATTERN = /^[A-Za-z0-9._-]{1,180}$/;

/** Topic names under `prefix` (default `netpulse`, so topic = schema id). */
export const integrationTopics = (prefix = 'netpulse'): IntegrationTopics => {
  if (!TOPIC_PREFIX_PATTERN.test(prefix)) throw new Error('a topic prefix uses letters, digits and . _ -');
  const topic = (stream: IntegrationStream) => `${prefix}.${stream.schemaId.slice('netpulse.'.length)}`;
  return {
    deviceStatus: topic(integrationStreams.deviceStatus),
    alerts: topic(integrationStreams.alerts),
    devices: topic(integrationStreams.devices),
    observations: topic(integrationStreams.observations),
  };
};
