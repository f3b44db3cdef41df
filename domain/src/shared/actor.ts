import { z } from 'zod';

export const roles = ['admin', 'operator', 'viewer', 'auditor', 'integrator'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

/** Who caused an event: a person, an integrator's API key, a poller process or NetPulse itself. */
export const Actor = z.object({
  kind: z.enum(['user', 'api-key', 'poller', 'system']),
  id: z.string().min(1).max(200),
});
export type Actor = Readonly<z.infer<typeof Actor>>;
