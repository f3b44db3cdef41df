import type { DeviceStatus } from '../../graphql/schema-types';

export type StatusChange = Readonly<{
  from: DeviceStatus | null;
  to: DeviceStatus;
  reason: string | null;
  at: string;
}>;
export type Segment = Readonly<{ status: DeviceStatus; start: number; end: number }>;

/**
 * The status bar of a window: which status held from when to when. `changes` come newest first (as
 * the API returns them); the status before the first change in the window is the one it left.
 */
export const statusSegments = (
  changes: readonly StatusChange[],
  from: number,
  to: number,
  current: DeviceStatus,
): Segment[] => {
  const ordered = [...changes].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const inWindow = ordered.filter((change) => {
    const at = Date.parse(change.at);
    return at > from && at <= to;
  });
  const before = ordered.filter((change) => Date.parse(change.at) <= from).at(-1);
  let status: DeviceStatus = before?.to ?? inWindow[0]?.from ?? (inWindow.length === 0 ? current : 'unknown');
  let start = from;
  const segments: Segment[] = [];
  for (const change of inWindow) {
    const at = Date.parse(change.at);
    if (at > start) segments.push({ status, start, end: at });
    status = change.to;
    start = at;
  }
  if (to > start) segments.push({ status, start, end: to });
  return segments;
};
