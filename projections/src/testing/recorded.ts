import { CURRENT_SCHEMA_VERSION, deterministicId, type RecordedEvent } from '@netpulse/domain';

let position = 0n;

/**
 * A RecordedEvent as a store hands it to a projection, for tests that apply projections directly
 * to real PostgreSQL tables (the runner against the real store is tested in infra/src/roles/projector).
 */
export const recorded = (
  streamId: string,
  type: string,
  data: Record<string, unknown>,
  options: Readonly<{ organizationId?: string; at?: string; version?: bigint }> = {},
): RecordedEvent => {
  position += 1n;
  const id = deterministicId('projections-test', streamId, type, position.toString());
  return {
    id,
    type,
    data,
    streamId,
    streamVersion: options.version ?? position,
    globalPosition: position,
    checkpoint: `0:${position}`,
    recordedAt: new Date(options.at ?? '2026-11-21T00:00:00.000Z'),
    metadata: {
      organizationId: options.organizationId ?? 'org-a',
      actor: { kind: 'user', id: 'alice' },
      correlationId: id,
      causationId: id,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      hash: 'h',
      previousHash: '',
    },
  };
};
