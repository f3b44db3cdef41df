import { type IdentityPorts, type Principal, unauthenticated } from '@netpulse/api';

const notHere = async (): Promise<never> => {
  throw unauthenticated('not in these tests');
};

/**
 * Identity for tests of other API areas (authorization, tenancy, live views): a bearer token simply
 * names one of `callers`. Login and sessions are the auth area's business and are refused here.
 */
export const namedCallerIdentity = (callers: Readonly<Record<string, Principal>>): IdentityPorts => ({
  authenticate: async ({ authorization }) => {
    if (!authorization) return null;
    const principal = callers[authorization.replace(/^Bearer /, '')];
    if (!principal) throw unauthenticated('unknown test token');
    return principal;
  },
  login: notHere,
  refresh: notHere,
  logout: async () => {},
  listUsers: async () => [],
  listApiKeys: async () => [],
  // addUser stores a password after its command: accepted, nothing to store.
  setPassword: async () => {},
  verifyPassword: async () => false,
  forget: () => {},
  awaitVisible: async () => true,
});
