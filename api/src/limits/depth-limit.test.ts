import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../graphql/error-formatter.js';
import { auditorTypeDefs } from '../graphql/schema/auditors.js';
import { authTypeDefs } from '../graphql/schema/auth.js';
import { commonTypeDefs } from '../graphql/schema/common.js';
import { liveTypeDefs } from '../graphql/schema/live.js';
import { operatorTypeDefs } from '../graphql/schema/operators.js';
import { depthLimitRule } from './depth-limit.js';

/** The API's real schema, so the depths below are those clients will meet. */
const schema = buildSchema(
  [commonTypeDefs, authTypeDefs, operatorTypeDefs, auditorTypeDefs, liveTypeDefs].join('\n'),
);

const check = (query: string, maxDepth: number) =>
  validate(schema, parse(query), [depthLimitRule({ maxDepth })]);

/** The depth the rule measured, read back from the error a zero limit provokes. */
const depthOf = (query: string): number => {
  const errors = check(query, 0);
  expect(errors).toHaveLength(1);
  return Number((errors[0]?.originalError as { details?: { depth?: number } }).details?.depth);
};

describe('depth limit rule', () => {
  it('counts a root field as 1 and each nested field one more', () => {
    expect(depthOf('{ me { id } }')).toBe(2);
    expect(depthOf('{ devices(first: 2) { nodes { name } } }')).toBe(3);
    expect(depthOf('{ device(deviceId: "d") { activeAlerts { device { name } } } }')).toBe(4);
  });

  it('counts fragments where they are spread, inline or named', () => {
    const named =
      'query { device(deviceId: "d") { ...A } } fragment A on Device { activeAlerts { alertId } }';
    expect(depthOf(named)).toBe(3);
    expect(depthOf('{ device(deviceId: "d") { ... on Device { activeAlerts { alertId } } } }')).toBe(3);
  });

  it('lets an operation at the limit through and refuses one past it as VALIDATION_FAILED', () => {
    const query = '{ device(deviceId: "d") { activeAlerts { device { name } } } }';
    expect(check(query, 4)).toEqual([]);
    const [error] = check(query, 3);
    expect(error?.message).toMatch(/too deep: depth 4 exceeds the limit of 3/);
    expect(classifyError(error!)).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { depth: 4, maxDepth: 3 },
    });
  });

  it('survives a fragment cycle (reported by graphql-js) without recursing forever', () => {
    const cyclic = '{ me { ...A } } fragment A on Identity { ...B } fragment B on Identity { ...A }';
    expect(() => check(cyclic, 5)).not.toThrow();
  });
});
