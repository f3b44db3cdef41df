import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';

type SubscriptionResolver = Readonly<{
  subscribe: GraphQLFieldResolver<unknown, unknown>;
  resolve?: GraphQLFieldResolver<unknown, unknown>;
}>;

/**
 * Gives the schema's Subscription fields their `subscribe` and `resolve`. Mercurius wires them only
 * when it serves subscriptions itself; here the WebSocket transport runs them with graphql-js.
 */
export const attachSubscriptionResolvers = (
  schema: GraphQLSchema,
  resolvers: Readonly<Record<string, unknown>> | undefined,
): void => {
  const type = schema.getSubscriptionType();
  if (!type || !resolvers) return;
  const fields = type.getFields();
  for (const [name, resolver] of Object.entries(resolvers)) {
    const field = fields[name];
    if (!field) throw new Error(`Subscription.${name} has a resolver but no field in the schema`);
    const { subscribe, resolve } = resolver as SubscriptionResolver;
    field.subscribe = subscribe;
    if (resolve) field.resolve = resolve;
  }
};
