import { createHmac } from 'node:crypto';

/** The header a receiver verifies: `sha256=<hex HMAC-SHA256 of the raw body with the unit's secret>`. */
export const SIGNATURE_HEADER = 'X-Duban-Signature';
/** The outbox id of the delivery: the same on every retry, so the receiver can drop duplicates. */
export const DELIVERY_HEADER = 'X-Duban-Delivery';

/** `sha256=` and the hex HMAC-SHA256 of `body` (the exact bytes sent) keyed with `secret`. Pure. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
