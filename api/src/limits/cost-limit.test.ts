import { buildSchema, GraphQLError, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../graphql/api-error.js';
import { classifyError } from '../graphql/error-formatter.js';
import { auditorTypeDefs } from '../graphql/schema/auditors.js';
import { authTypeDefs } from '../graphql/schema/auth.js';
import { commonTypeDefs } from '../graphql/schema/common.js';
import { liveTypeDefs } from '../graphql/schema/live.js';
import { operatorTypeDefs } from '../graphql/schema/operators.js';
import type { ApiLimits } from './api-limits.js';
import { costLimitRule } from './cost-limit.js';

/** The API's real schema, so the costs below are those clients will meet. */
const schema = buildSchema(
  [commonTypeDefs, authTypeDefs, operatorTypeDefs, auditorTypeDefs, liveTypeDefs].join('\n'),
);
const limits = (maxCost: number): ApiLimits => ({
  maxDepth: 8,
  maxCost,
  maxPageSize: 200,
  subscriptionQueueLimit: 100,
});

const check = (query: string, maxCost: number) =>
  validate(schema, parse(query), [costLimitRule(limits(maxCost))]);

/** The estimated cost, read back from the error a zero budget provokes. */
const costOf = (query: string): number => {
  const errors = check(query, 0);
  expect(errors).toHaveLength(1);
  return Number(errors[0]?.extensions.cost);
};

describe('cost limit rule', () => {
  it('counts each field 1 and multiplies a list by the page it asks for', () => {
    expect(costOf('{ me { id roles } }')).toBe(3);
    // devices 1 + nodes (1 + 20 × name) + pageInfo (1 + hasNextPage)
    expect(costOf('{ devices(first: 20) { nodes { name } pageInfo { hasNextPage } } }')).toBe(24);
  });

  it('uses the schema default when no page size is given', () => {
    expect(costOf('{ devices { nodes { name } } }')).toBe(1 + 1 + 50);
  });

  it('assumes the largest allowed page when the size comes in a variable', () => {
    expect(costOf('query ($n: Int) { devices(first: $n) { nodes { name } } }')).toBe(1 + 1 + 200);
  });

  it('multiplies nested lists', () => {
    // alerts 1 + nodes (1 + 10 × timeline (1 + 10 assumed × type))
    expect(costOf('{ alerts(first: 10) { nodes { timeline { type } } } }')).toBe(1 + 1 + 10 * 11);
    // statusTimeline is bounded by its own `limit`
    expect(costOf('{ device(deviceId: "d") { statusTimeline(limit: 5) { to } } }')).toBe(1 + 1 + 5);
  });

  it('counts fragments and inline fragments where they are spread', () => {
    const query = `{
      a: devices(first: 2) { nodes { ...D } }
      b: devices(first: 3) { nodes { ... on Device { name address } } }
    }
    fragment D on Device { name address }`;
    expect(costOf(query)).toBe(1 + 1 + 2 * 2 + (1 + 1 + 3 * 2));
  });

  it('treats __typename as free and introspection as one', () => {
    expect(costOf('{ me { __typename id } }')).toBe(2);
    expect(costOf('{ __schema { types { name fields { name } } } }')).toBe(1);
  });

  it('refuses above the limit and accepts at it', () => {
    const query = '{ devices(first: 20) { nodes { name } pageInfo { hasNextPage } } }';
    expect(check(query, 24)).toStrictEqual([]);
    const errors = check(query, 23);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe(
      'operation anonymous is too costly: estimated cost 24 exceeds the limit of 23',
    );
  });

  it('judges each operation of a document on its own', () => {
    const document = `query Small { me { id } }
      query Large { devices(first: 200) { nodes { activeAlerts { timeline { type } } } } }`;
    const errors = check(document, 5_000);
    expect(errors.map((error) => error.message)).toStrictEqual([
      expect.stringContaining('operation Large is too costly'),
    ]);
  });

  it('costs a deeply nested fragment bomb quickly instead of expanding it', () => {
    const levels = 60;
    const fragments = Array.from(
      { length: levels },
      (_, i) =>
        `fragment F${i} on Device { ${i + 1 < levels ? `a${i}: activeAlerts { device { ...F${i + 1} } } b${i}: activeAlerts { device { ...F${i + 1} } }` : 'name'} }`,
    ).join('\n');
    const started = performance.now();
    const errors = check(`{ device(deviceId: "d") { ...F0 } } ${fragments}`, 5_000);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(errors.some((error) => error.message.includes('too costly'))).toBe(true);
  });

  it('reports VALIDATION_FAILED with the cost and limit, as the error formatter passes it on', () => {
    const [error] = check('{ devices(first: 200) { nodes { name address } } }', 100);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error?.extensions.code).toBe('VALIDATION_FAILED');
    expect(error?.originalError).toBeInstanceOf(ApiError);
    expect(classifyError(error!)).toStrictEqual({
      code: 'VALIDATION_FAILED',
      message: error?.message,
      details: { cost: 1 + 1 + 400, maxCost: 100 },
    });
  });
});
