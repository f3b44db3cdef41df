import { randomUUID } from 'node:crypto';
import type { EventMetadata, EventToAppend } from '@netpulse/domain';

export const testMetadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  organizationId: 'org-test',
  actor: { kind: 'user', id: 'user-test' },
  correlationId: 'corr-test',
  causationId: 'cause-test',
  schemaVersion: 1,
  ...overrides,
});

export const testEvent = (
  type: string,
  data: Record<string, unknown> = {},
  id = randomUUID(),
): EventToAppend => ({
  id,
  type,
  data,
  metadata: testMetadata(),
});

export const testEvents = (count: number, type = 'Counted'): EventToAppend[] =>
  Array.from({ length: count }, (_, n) => testEvent(type, { n }));

export const uniqueStream = (category = 'test'): string => `${category}-${randomUUID()}`;
