import type { Checkpoint, EventStore } from '@netpulse/domain';
import { type Lag, measureLag } from '../runner/lag.js';
import type { Projection } from '../runner/projection.js';
import type { ProjectionRegistry } from './registry.js';

export type VersionStatus = Readonly<{
  version: number;
  role: 'active' | 'building';
  checkpoint: Checkpoint;
  eventsApplied: bigint;
  lastEventAt: Date | null;
  lag: Lag;
}>;

export type ProjectionStatus = Readonly<{ name: string; versions: readonly VersionStatus[] }>;

/** Each projection's active (and building) version with its checkpoint and lag, for `netpulse projections status`. */
export const projectionStatus = async (
  store: EventStore,
  registry: ProjectionRegistry,
  projections: readonly Projection[],
  now: Date,
): Promise<ProjectionStatus[]> => {
  const entries = new Map((await registry.entries()).map((entry) => [entry.name, entry]));
  const result: ProjectionStatus[] = [];
  for (const projection of projections) {
    const entry = entries.get(projection.name);
    const versions: VersionStatus[] = [];
    const wanted: Array<[number, 'active' | 'building']> = entry ? [[entry.activeVersion, 'active']] : [];
    if (entry?.buildingVersion) wanted.push([entry.buildingVersion, 'building']);
    for (const [version, role] of wanted) {
      const row = await registry.checkpoint(projection.name, version);
      if (!row) continue;
      versions.push({
        version,
        role,
        checkpoint: row.checkpoint,
        eventsApplied: row.eventsApplied,
        lastEventAt: row.lastEventAt,
        lag: await measureLag(store, row.checkpoint, projection.filter, now),
      });
    }
    result.push({ name: projection.name, versions });
  }
  return result;
};
