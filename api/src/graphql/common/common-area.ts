import { permissionsOf } from '../../auth/permissions.js';
import { unauthenticated } from '../api-error.js';
import type { ApiArea } from '../area.js';
import { commonTypeDefs } from '../schema/common.js';
import { BigIntScalar, DateTime, JsonScalar } from './scalars.js';

export const commonArea: ApiArea = {
  typeDefs: commonTypeDefs,
  resolvers: {
    DateTime,
    BigInt: BigIntScalar,
    JSON: JsonScalar,
    Query: {
      me: (_root, _args, context) => {
        const { principal } = context;
        if (!principal) throw context.authError ?? unauthenticated();
        return { ...principal, permissions: permissionsOf(principal.roles) };
      },
    },
  },
};
