import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver does with the n-th attempt (1-based) of one delivery. */
export type ReceiverBehaviour = (attempt: number) => 'ok' | 'fail' | 'reset' | 'hang';

/** One request as received, with its signature checked the way a receiver would. */
export interface ReceivedRequest {
  readonly delivery: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly signatureValid: boolean;
  readonly answered: 'ok' | 'fail' | 'reset' | 'hang';
}

export interface WebhookReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** The distinct deliveries it accepted (what a receiver deduplicating by X-Duban-Delivery keeps). */
  accepted(): Map<string, unknown>;
  close(): Promise<void>;
}

/**
 * A webhook receiver on a free loopback port: verifies X-Duban-Signature (HMAC-SHA256 of the raw
 * body with `secret`, compared in constant time) and answers each attempt as `behaviour` says.
 */
export async function startWebhookReceiver(secret: string, behaviour: ReceiverBehaviour): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const attempts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const delivery = String(req.headers['x-duban-delivery']);
      const attempt = (attempts.get(delivery) ?? 0) + 1;
      attempts.set(delivery, attempt);
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-duban-signature'] ?? ''));
      const answered = behaviour(attempt);
      requests.push({ delivery, headers: req.headers, body: raw.toString('utf8'), signatureValid: given.length === expected.length && timingSafeEqual(given, expected), answered });
      if (answered === 'ok') res.writeHead(204).end();
      else if (answered === 'fail') res.writeHead(500, { 'Content-Type': 'text/plain' }).end('try again later');
      // It read the notification, but the answer never reaches the sender.
      else if (answered === 'reset') req.socket.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    requests,
    accepted: () => new Map(requests.filter((r) => r.answered === 'ok').map((r) => [r.delivery, JSON.parse(r.body) as unknown])),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
