/** Stream naming: `<category>-<id>`. The category is what readers filter on. */
export const streamCategories = {
  device: 'device',
  observations: 'observations',
  alert: 'alert',
  alertRule: 'alertrule',
  organization: 'organization',
  traps: 'traps',
} as const;
export type StreamCategory = (typeof streamCategories)[keyof typeof streamCategories];

export const streamId = (category: StreamCategory, id: string): string => `${category}-${id}`;
export const streamCategory = (stream: string): string => {
  const dash = stream.indexOf('-');
  return dash === -1 ? stream : stream.slice(0, dash);
};
export const streamEntityId = (stream: string): string => {
  const dash = stream.indexOf('-');
  return dash === -1 ? '' : stream.slice(dash + 1);
};

/**
 * High-volume telemetry streams: kept for a retention period, not forever (decisions are the audit
 * trail and are kept forever).
 */
export const telemetryCategories: ReadonlySet<string> = new Set([
  streamCategories.observations,
  streamCategories.traps,
]);
export const isTelemetryStream = (stream: string): boolean => telemetryCategories.has(streamCategory(stream));
