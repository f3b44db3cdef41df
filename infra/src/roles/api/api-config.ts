import { z } from 'zod';

const seconds = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/**
 * The API role's environment variables (merged into ConfigSchema in infra/src/config):
 *
 * - JWT_SECRET: HMAC key for access and refresh tokens (≥ 32 characters). Unset in the embedded
 *   profile = a random key generated once and kept in NETPULSE_DATA_DIR; required in production.
 * - JWT_PREVIOUS_SECRET: the key JWT_SECRET replaced, during a rotation: tokens it signed stay valid
 *   until they expire (at most JWT_REFRESH_TTL_SECONDS), new ones are signed with JWT_SECRET. Unset
 *   when no rotation is under way.
 * - JWT_ACCESS_TTL_SECONDS: access token lifetime (default 900).
 * - JWT_REFRESH_TTL_SECONDS: refresh token lifetime (default 604800, 7 days).
 * - REDIS_URL: Redis for subscription fan-out across API processes and shared rate limits; unset =
 *   in-process fan-out and in-memory limits.
 * - API_WORKERS: HTTP API processes of `netpulse api` / `netpulse start` (default 1: the API runs in
 *   the process itself). Above 1 the process forks that many API-only workers (node:cluster) that
 *   share PORT, restarts one that dies and stops them with itself; its other roles stay in it. Needs
 *   REDIS_URL, so the live feed and rate limits are shared by the workers.
 * - RATE_LIMIT_PER_MINUTE: GraphQL operations per identity (or per IP before login) per minute (default 600).
 * - GRAPHQL_MAX_DEPTH: deepest selection a query may nest (default 8).
 * - GRAPHQL_MAX_COST: estimated cost a query may reach, counting list fields by their page size (default 5000).
 * - GRAPHQL_MAX_PAGE_SIZE: largest `first` a paginated query accepts (default 200).
 * - BODY_LIMIT_BYTES: largest HTTP request body (default 1048576).
 * - SUBSCRIPTION_QUEUE_LIMIT: messages a subscriber may fall behind before it is closed (default 1000).
 * - READ_CACHE_ENTRIES: device pages each API process keeps until the devices read model changes
 *   (default 1000; 0 = every page is read from PostgreSQL).
 * - NETPULSE_ADMIN_EMAIL / NETPULSE_ADMIN_PASSWORD: the first administrator, created on start when the
 *   organization has no user. Without a password one is generated and written to
 *   NETPULSE_DATA_DIR/admin-password (mode 0600); the log names the file, never the password.
 */
export const ApiConfigSchema = z.object({
  JWT_SECRET: z.preprocess(blankAsUndefined, z.string().min(32).optional()),
  JWT_PREVIOUS_SECRET: z.preprocess(blankAsUndefined, z.string().min(32).optional()),
  JWT_ACCESS_TTL_SECONDS: seconds(900, 86_400),
  JWT_REFRESH_TTL_SECONDS: seconds(604_800, 7_776_000),
  REDIS_URL: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//)
      .optional(),
  ),
  API_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(8),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(10).max(10_000_000).default(5_000),
  GRAPHQL_MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(200),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(100 * 1_048_576)
    .default(1_048_576),
  SUBSCRIPTION_QUEUE_LIMIT: z.coerce.number().int().min(10).max(1_000_000).default(1_000),
  READ_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(1_000),
  NETPULSE_ADMIN_EMAIL: z.email().default('admin@netpulse.local'),
  NETPULSE_ADMIN_PASSWORD: z.preprocess(blankAsUndefined, z.string().min(8).optional()),
});
export type ApiConfig = Readonly<z.infer<typeof ApiConfigSchema>>;
