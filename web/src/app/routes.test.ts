import { describe, expect, it } from 'vitest';
import { devicePath, matchRoute } from './routes';

describe('matchRoute', () => {
  it('maps each path to its page', () => {
    expect(matchRoute('/')).toEqual({ page: 'fleet' });
    expect(matchRoute('/fleet/')).toEqual({ page: 'fleet' });
    expect(matchRoute('/alerts')).toEqual({ page: 'alerts' });
    expect(matchRoute('/audit')).toEqual({ page: 'audit' });
    expect(matchRoute('/integrations')).toEqual({ page: 'integrations' });
    expect(matchRoute('/nope')).toEqual({ page: 'not-found', path: '/nope' });
  });

  it('round-trips device ids, including ones that need escaping', () => {
    for (const id of ['abc', 'core:rtr.1', 'a b/c'])
      expect(matchRoute(devicePath(id))).toEqual({ page: 'device', deviceId: id });
    expect(matchRoute('/devices/%E0%A4%A')).toEqual({ page: 'not-found', path: '/devices/%E0%A4%A' });
  });
});
