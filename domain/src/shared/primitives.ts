import { z } from 'zod';

export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'ids use letters, digits and _ . : -');
export const Timestamp = z.iso.datetime({ offset: true });
export const Tag = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_.:/=-]*$/, 'tags are lower-case words (a-z 0-9 _ . : / = -)');

const ipv4 = z.ipv4();
const ipv6 = z.ipv6();
const hostnamePattern =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export const addressFamily = (address: string): 'ipv4' | 'ipv6' | 'hostname' | 'invalid' => {
  if (ipv4.safeParse(address).success) return 'ipv4';
  if (ipv6.safeParse(address).success) return 'ipv6';
  // A dotted all-numeric name that is not a valid IPv4 literal (e.g. 300.1.1.1) is a typo, not a host.
  if (hostnamePattern.test(address) && !/^[0-9.]+$/.test(address)) return 'hostname';
  return 'invalid';
};

/** A device address: an IPv4 or IPv6 literal, or a DNS host name. */
export const Address = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .refine((value) => addressFamily(value) !== 'invalid', {
    message: 'address must be an IPv4 or IPv6 address or a host name',
  });
export type Address = z.infer<typeof Address>;
