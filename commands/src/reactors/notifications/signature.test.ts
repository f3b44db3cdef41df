import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './signature.js';

const secret = 'whsec-test';
const body = '{"version":"1","alerts":[]}';
const now = 1_748_779_200;

describe('webhook signature', () => {
  it('is v1= HMAC-SHA256 (hex) over "<timestamp>.<body>"', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signWebhook(secret, now, body)).toBe(`v1=${expected}`);
  });

  it('verifies a genuine request and refuses a changed body, timestamp, secret or an old request', () => {
    const signature = signWebhook(secret, now, body);
    const headers = { timestamp: String(now), signature };
    expect(verifyWebhookSignature(secret, headers, body, { nowSeconds: now + 10 })).toBe(true);
    expect(verifyWebhookSignature(secret, headers, `${body} `, { nowSeconds: now })).toBe(false);
    expect(
      verifyWebhookSignature(secret, { ...headers, timestamp: String(now + 1) }, body, { nowSeconds: now }),
    ).toBe(false);
    expect(verifyWebhookSignature('other', headers, body, { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(secret, headers, body, { nowSeconds: now + 301 })).toBe(false);
    expect(
      verifyWebhookSignature(secret, { timestamp: undefined, signature }, body, { nowSeconds: now }),
    ).toBe(false);
  });
});
