import { z } from 'zod';

/**
 * An SNMP secret as configured (never as stored in an event: events carry only its reference name).
 * RFC 3414 requires v3 passphrases of at least 8 characters; enforcing it here turns a typo into a
 * start-up error instead of an authentication failure on every poll.
 */
const Secret = z.string().min(1).max(256);
const Passphrase = z.string().min(8, 'v3 keys are at least 8 characters (RFC 3414)').max(256);

export const SnmpV2cCredential = z.object({ version: z.literal('v2c'), community: Secret }).strict();

export const SnmpV3Credential = z
  .object({
    version: z.literal('v3'),
    user: z.string().min(1).max(64),
    level: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']).default('authPriv'),
    authProtocol: z.enum(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512']).default('sha'),
    authKey: Passphrase.optional(),
    privProtocol: z.enum(['des', 'aes', 'aes256b', 'aes256r']).default('aes'),
    privKey: Passphrase.optional(),
  })
  .strict()
  .superRefine((credential, ctx) => {
    if (credential.level !== 'noAuthNoPriv' && credential.authKey === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['authKey'],
        message: `authKey is required for ${credential.level}`,
      });
    }
    if (credential.level === 'authPriv' && credential.privKey === undefined) {
      ctx.addIssue({ code: 'custom', path: ['privKey'], message: 'privKey is required for authPriv' });
    }
  });

export const SnmpCredential = z.discriminatedUnion('version', [SnmpV2cCredential, SnmpV3Credential]);
export type SnmpCredential = z.infer<typeof SnmpCredential>;
export type SnmpV3Credential = z.infer<typeof SnmpV3Credential>;

/** Every secret string a credential holds, for redaction. */
export const credentialSecrets = (credential: SnmpCredential): string[] =>
  credential.version === 'v2c'
    ? [credential.community]
    : [credential.authKey, credential.privKey].filter((key): key is string => key !== undefined);
