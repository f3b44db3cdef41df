import { EVENT_TYPE, STREAM_NAME } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { escapeRegex, isSystemEvent, matchesFilter, serverFilter } from './filter.js';

const regexOf = (filter: ReturnType<typeof serverFilter>) =>
  'regex' in filter ? new RegExp(filter.regex) : null;

describe('EventStoreDB $all filters', () => {
  it('filters categories on the server as stream-name prefixes <category>-', () => {
    const filter = serverFilter({ categories: ['device', 'alert', 'device'], eventTypes: ['DeviceAdded'] });
    expect(filter).toMatchObject({
      filterOn: STREAM_NAME,
      prefixes: ['device-', 'alert-'],
      checkpointInterval: 1,
    });
  });

  it('filters event types on the server with an anchored, escaped alternation', () => {
    const filter = serverFilter({ eventTypes: ['A', 'Alert.Raised', 'x+y'] });
    expect(filter).toMatchObject({ filterOn: EVENT_TYPE, regex: '^(?:A|Alert\\.Raised|x\\+y)$' });
    const regex = regexOf(filter)!;
    expect(['A', 'Alert.Raised', 'x+y'].every((type) => regex.test(type))).toBe(true);
    expect(['AB', 'AlertXRaised', 'xxy', '$metadata'].some((type) => regex.test(type))).toBe(false);
  });

  it('excludes system events when nothing is selected (empty lists select nothing)', () => {
    for (const selection of [undefined, {}, { categories: [], eventTypes: [] }]) {
      const filter = serverFilter(selection);
      expect(filter.filterOn).toBe(EVENT_TYPE);
      const regex = regexOf(filter)!;
      expect(regex.test('$metadata')).toBe(false);
      expect(regex.test('DeviceAdded')).toBe(true);
    }
  });

  it('passes the checkpoint callback through', () => {
    const checkpointReached = () => {};
    expect(serverFilter({ categories: ['a'] }, { checkpointReached }).checkpointReached).toBe(
      checkpointReached,
    );
  });

  it('escapes every regex metacharacter', () => {
    const literal = ['.', '*', '+', '?', '^', '$', '{', '}', '(', ')', '|', '[', ']', '\\'].join('');
    expect(new RegExp(`^${escapeRegex(literal)}$`).test(literal)).toBe(true);
  });

  it('checks both dimensions client side and drops system events', () => {
    const filter = { categories: ['flta', 'fltb'], eventTypes: ['A'] };
    expect(matchesFilter(filter, 'flta-1', 'A')).toBe(true);
    expect(matchesFilter(filter, 'flta-1', 'B')).toBe(false);
    expect(matchesFilter(filter, 'flt-1', 'A')).toBe(false);
    expect(matchesFilter(filter, 'fltab-1', 'A')).toBe(false);
    expect(matchesFilter(undefined, 'device-1', 'X')).toBe(true);
    expect(matchesFilter(undefined, '$$device-1', '$metadata')).toBe(false);
    expect(matchesFilter({ categories: [] }, 'device-1', '$>')).toBe(false);
    expect(isSystemEvent('$stats-127.0.0.1:2113', 'StatsCollected')).toBe(true);
  });
});
