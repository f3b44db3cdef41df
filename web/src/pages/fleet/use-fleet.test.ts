import { describe, expect, it } from 'vitest';
import { GraphQLRequestError } from '../../graphql/errors';
import { smallerPage } from './use-fleet';

const refused = (message: string, details?: Record<string, unknown>) =>
  new GraphQLRequestError('FleetPage', [{ message, extensions: { code: 'VALIDATION_FAILED', details } }]);

describe('smallerPage', () => {
  it('takes the limit the API names', () => {
    expect(
      smallerPage(refused('first must not exceed 100', { argument: 'first', maxPageSize: 100 }), 200),
    ).toBe(100);
  });

  it('halves when the refusal names no limit (a cost limit), down to a floor', () => {
    expect(smallerPage(refused('operation FleetPage is too costly: estimated cost 6000'), 200)).toBe(100);
    expect(smallerPage(refused('operation FleetPage is too costly'), 40)).toBeNull();
  });

  it('leaves other errors alone', () => {
    expect(smallerPage(refused('Unknown argument "bogus"'), 200)).toBeNull();
    expect(
      smallerPage(
        new GraphQLRequestError('FleetPage', [{ message: 'first', extensions: { code: 'FORBIDDEN' } }]),
        200,
      ),
    ).toBeNull();
    expect(smallerPage(new Error('first'), 200)).toBeNull();
  });
});
