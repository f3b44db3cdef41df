import { buildSchema, parse, subscribe } from 'graphql';
import { describe, expect, it } from 'vitest';
import { attachSubscriptionResolvers } from './subscription-resolvers.js';

const schemaOf = () =>
  buildSchema(`
    type Query { hello: String }
    type Subscription { ticks: Int }
  `);

describe('attaching subscription resolvers', () => {
  it('gives the fields what graphql-js runs for a subscription', async () => {
    const schema = schemaOf();
    async function* ticks() {
      yield 1;
      yield 2;
    }
    attachSubscriptionResolvers(schema, {
      ticks: { subscribe: () => ticks(), resolve: (tick: number) => tick * 10 },
    });
    const stream = await subscribe({ schema, document: parse('subscription { ticks }') });
    if (!(Symbol.asyncIterator in stream)) throw new Error('no stream');
    const seen: unknown[] = [];
    for await (const result of stream) seen.push(result.data?.ticks);
    expect(seen).toEqual([10, 20]);
  });

  it('refuses a resolver for a field the schema does not have', () => {
    expect(() => attachSubscriptionResolvers(schemaOf(), { nope: { subscribe: () => null } })).toThrow(
      /Subscription.nope/,
    );
  });
});
