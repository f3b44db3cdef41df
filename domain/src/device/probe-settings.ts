import { z } from 'zod';

/**
 * SNMP credentials are named references resolved by the poller from its configuration; the secret
 * itself (community, v3 keys) never enters an event.
 */
export const CredentialRef = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'a credential reference is a name, not a secret');

export const IcmpSettings = z.object({
  enabled: z.boolean().default(true),
  intervalSeconds: z.number().int().min(5).max(3600).default(30),
  packets: z.number().int().min(1).max(20).default(3),
  timeoutMs: z.number().int().min(100).max(30_000).default(2_000),
});

export const SnmpSettings = z.object({
  version: z.enum(['v2c', 'v3']),
  port: z.number().int().min(1).max(65_535).default(161),
  credentialRef: CredentialRef,
  intervalSeconds: z.number().int().min(10).max(3600).default(60),
  timeoutMs: z.number().int().min(100).max(30_000).default(3_000),
});

export const TcpSettings = z.object({
  ports: z.array(z.number().int().min(1).max(65_535)).min(1).max(32),
  intervalSeconds: z.number().int().min(5).max(3600).default(30),
  timeoutMs: z.number().int().min(100).max(30_000).default(3_000),
});

export const ProbeSettings = z.object({
  icmp: IcmpSettings.default({ enabled: true, intervalSeconds: 30, packets: 3, timeoutMs: 2_000 }),
  snmp: SnmpSettings.nullable().default(null),
  tcp: TcpSettings.nullable().default(null),
});
export type ProbeSettings = z.infer<typeof ProbeSettings>;
export type ProbeSettingsInput = z.input<typeof ProbeSettings>;
