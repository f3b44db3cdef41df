import { type DomainEvent, eventSchemas, type RecordedEvent } from '@netpulse/domain';

export type ParsedEvent<T extends DomainEvent['type']> = Readonly<{
  recorded: RecordedEvent;
  event: Extract<DomainEvent, { type: T }>;
}>;

/**
 * The events of `types` in a batch, validated against the catalog. Anything that fails is returned
 * apart so the reactor can log and count it: one malformed event must not stop the reactor.
 */
export const parseEvents = <T extends DomainEvent['type']>(
  events: readonly RecordedEvent[],
  types: readonly T[],
): Readonly<{ parsed: ParsedEvent<T>[]; malformed: RecordedEvent[] }> => {
  const parsed: ParsedEvent<T>[] = [];
  const malformed: RecordedEvent[] = [];
  for (const recorded of events) {
    if (!(types as readonly string[]).includes(recorded.type)) continue;
    const result = eventSchemas.get(recorded.type)?.safeParse({ type: recorded.type, data: recorded.data });
    if (result?.success) {
      parsed.push({ recorded, event: result.data as Extract<DomainEvent, { type: T }> });
    } else malformed.push(recorded);
  }
  return { parsed, malformed };
};
