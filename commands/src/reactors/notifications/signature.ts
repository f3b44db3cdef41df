import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-netpulse-signature';
export const TIMESTAMP_HEADER = 'x-netpulse-timestamp';
const SCHEME = 'v1';

/**
 * The signature of a webhook body: HMAC-SHA256 over `<timestamp>.<body>` with the receiver's
 * secret, hex, prefixed with its scheme (`v1=`). Signing the timestamp with the body lets a receiver
 * reject a captured request replayed later.
 */
export const signWebhook = (secret: string, timestampSeconds: number, body: string): string =>
  `${SCHEME}=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;

export type VerifyOptions = Readonly<{ nowSeconds: number; toleranceSeconds?: number }>;

/**
 * What a receiver does: recompute, compare in constant time, and refuse timestamps too far from its
 * own clock (default five minutes either way).
 */
export const verifyWebhookSignature = (
  secret: string,
  headers: Readonly<{ timestamp: string | undefined; signature: string | undefined }>,
  body: string,
  options: VerifyOptions,
): boolean => {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(options.nowSeconds - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
};
