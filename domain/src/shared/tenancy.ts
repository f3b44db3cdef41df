import type { CommandMetadata } from '../event-store/event.js';
import { forbidden } from './errors.js';

/**
 * Events carry their organization in metadata, not in data. Recorded events (what handlers replay)
 * have it; plain events do not, and their state then belongs to no one: every command on it is
 * FORBIDDEN, so a caller that forgot metadata fails closed.
 */
export const organizationOf = (event: object): string | null =>
  'metadata' in event &&
  typeof event.metadata === 'object' &&
  event.metadata !== null &&
  'organizationId' in event.metadata &&
  typeof event.metadata.organizationId === 'string'
    ? event.metadata.organizationId
    : null;

export const assertSameOrganization = (
  owner: string | null,
  metadata: CommandMetadata,
  what: string,
): void => {
  if (owner === null || owner !== metadata.organizationId) {
    throw forbidden(`${what} belongs to another organization`, { organizationId: metadata.organizationId });
  }
};
