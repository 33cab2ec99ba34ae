// Shopify signs each webhook with base64(HMAC-SHA256(raw body, app secret)) in X-Shopify-Hmac-Sha256.
// The raw bytes are what was signed: verify before parsing, compare in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signShopifyBody(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

export function verifyShopifyHmac(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !secret) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header.trim(), 'base64');
  // timingSafeEqual needs equal lengths; a wrong length is a wrong signature, told apart in no time anyway.
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
