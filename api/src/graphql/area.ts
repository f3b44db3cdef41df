import type { IResolvers } from 'mercurius';
import type { ApiContext } from './context.js';

/** One area of the API (operators, auditors, live, auth…): its part of the schema and its resolvers. */
export type ApiArea = Readonly<{ typeDefs: string; resolvers: IResolvers<unknown, ApiContext> }>;

/** Merges areas type by type; two areas resolving the same field is a programming error. */
export const mergeAreas = (areas: readonly ApiArea[]): { schema: string; resolvers: IResolvers } => {
  const resolvers: Record<string, Record<string, unknown>> = {};
  for (const area of areas) {
    for (const [type, fields] of Object.entries(area.resolvers)) {
      const target = resolvers[type] ?? {};
      resolvers[type] = target;
      if (typeof fields !== 'object' || fields === null || fields.constructor?.name === 'GraphQLScalarType') {
        resolvers[type] = fields as Record<string, unknown>;
        continue;
      }
      for (const [field, resolver] of Object.entries(fields)) {
        if (field in target) throw new Error(`two areas resolve ${type}.${field}`);
        target[field] = resolver;
      }
    }
  }
  return { schema: areas.map((area) => area.typeDefs).join('\n'), resolvers: resolvers as IResolvers };
};
