import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BlockedAddressError } from '../../../../functions/adapters/webhook/address-policy';
import { deliverWebhook } from '../../../../functions/adapters/webhook/deliver';
import { createWebhookDispatcher } from '../../../../functions/adapters/webhook/http-client';
import { messageIdFor, type DeliveryJob } from '../../../../functions/core/webhooks/event';
import { MAX_ATTEMPTS } from '../../../../functions/core/webhooks/retry';
import type { Subscription } from '../../../../functions/core/webhooks/subscription';
import { publishedEvent, subscription as baseSubscription } from '../../core/webhooks/fixtures';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let port: number;
let received: Received[] = [];
let respond: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(204).end();
const openResponses = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      openResponses.add(res);
      res.on('close', () => openResponses.delete(res));
      respond(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterEach(() => {
  for (const res of openResponses) res.destroy();
  received = [];
  respond = (_req, res) => res.writeHead(204).end();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const loopbackDispatcher = createWebhookDispatcher({ allowLoopback: true });
const strictDispatcher = createWebhookDispatcher();

function localSubscription(path = '/hooks/polywire'): Subscription {
  return { ...baseSubscription, url: `http://127.0.0.1:${port}${path}` };
}

function jobFor(subscription: Subscription, attempt = 1): DeliveryJob {
  return { subscriptionId: subscription.id, messageId: messageIdFor(subscription.id, publishedEvent), event: publishedEvent, attempt };
}

const local = { dispatcher: loopbackDispatcher, allowLoopback: true, random: () => 0.5 };

describe('deliverWebhook to a local receiver', () => {
  it('sends a signed request the receiver verifies with standardwebhooks', async () => {
    const subscription = localSubscription();
    const result = await deliverWebhook(subscription, jobFor(subscription), local);

    expect(result).toEqual({ outcome: 'delivered', status: 204 });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', url: '/hooks/polywire' });
    expect(request!.headers['user-agent']).toBe('polywire-webhooks/1');
    expect(request!.headers['content-type']).toBe('application/json');
    // A fixed length, not chunked: some receivers verify the signature only over a counted body.
    expect(request!.headers['content-length']).toBe(String(Buffer.byteLength(request!.body)));
    expect(request!.headers['transfer-encoding']).toBeUndefined();
    expect(request!.headers['webhook-id']).toBe(messageIdFor(subscription.id, publishedEvent));
    const payload = new Webhook(subscription.secret).verify(request!.body, request!.headers as Record<string, string>);
    expect(payload).toMatchObject({ type: 'release.published', timestamp: publishedEvent.occurredAt, data: { language: 'fr' } });
  });

  it('refuses the same loopback receiver without allowLoopback, sending nothing', async () => {
    const subscription = localSubscription();
    const result = await deliverWebhook(subscription, jobFor(subscription), { dispatcher: strictDispatcher });
    expect(result.outcome).toBe('disable');
    expect(received).toHaveLength(0);
  });

  it('does not follow a 302 and counts it as a failed attempt', async () => {
    respond = (req, res) => {
      if (req.url === '/hooks/polywire') res.writeHead(302, { location: '/moved' }).end();
      else res.writeHead(200).end();
    };
    const subscription = localSubscription();
    const result = await deliverWebhook(subscription, jobFor(subscription), local);
    expect(result).toMatchObject({ outcome: 'retry', status: 302, error: expect.stringMatching(/redirect not followed/) });
    expect(received.map((r) => r.url)).toEqual(['/hooks/polywire']);
  });

  it('disables the subscription on 410 Gone', async () => {
    respond = (_req, res) => res.writeHead(410).end('gone');
    const subscription = localSubscription();
    expect(await deliverWebhook(subscription, jobFor(subscription), local)).toMatchObject({ outcome: 'disable', status: 410 });
  });

  it('honours Retry-After on 429', async () => {
    respond = (_req, res) => res.writeHead(429, { 'retry-after': '120' }).end();
    const subscription = localSubscription();
    expect(await deliverWebhook(subscription, jobFor(subscription), local)).toMatchObject({ outcome: 'retry', status: 429, delayMs: 120_000 });
  });

  it('honours an HTTP-date Retry-After on 503 but not on 500', async () => {
    const now = () => new Date();
    const at = new Date(Date.now() + 600_000).toUTCString();
    respond = (_req, res) => res.writeHead(503, { 'retry-after': at }).end();
    const subscription = localSubscription();
    const result = await deliverWebhook(subscription, jobFor(subscription), { ...local, now });
    expect(result.outcome).toBe('retry');
    expect(result.delayMs).toBeGreaterThan(500_000);
    expect(result.delayMs).toBeLessThanOrEqual(600_000);

    respond = (_req, res) => res.writeHead(500, { 'retry-after': '7200' }).end();
    expect(await deliverWebhook(subscription, jobFor(subscription), local)).toMatchObject({ outcome: 'retry', status: 500, delayMs: 2_500 });
  });

  it('retries when the receiver does not answer in time', async () => {
    respond = () => {
      // Never answers.
    };
    const subscription = localSubscription();
    const result = await deliverWebhook(subscription, jobFor(subscription), { ...local, timeoutMs: 150 });
    expect(result.outcome).toBe('retry');
    expect(result.status).toBeUndefined();
    expect(result.error).toMatch(/timeout|abort/i);
  });

  it('retries when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const subscription = { ...baseSubscription, url: `http://127.0.0.1:${deadPort}/` };
    expect(await deliverWebhook(subscription, jobFor(subscription), local)).toMatchObject({ outcome: 'retry', error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('marks the delivery failed when the last attempt fails', async () => {
    respond = (_req, res) => res.writeHead(500).end();
    const subscription = localSubscription();
    const result = await deliverWebhook(subscription, jobFor(subscription, MAX_ATTEMPTS), local);
    expect(result).toMatchObject({ outcome: 'failed', status: 500, error: expect.stringMatching(/gave up after 8 attempts/) });
  });

  it('reads a large response only up to the cap and still reports the status', async () => {
    respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(4 * 1024 * 1024));
    };
    const subscription = localSubscription();
    expect(await deliverWebhook(subscription, jobFor(subscription), local)).toEqual({ outcome: 'delivered', status: 200 });
  });
});

describe('SSRF checks at connection time', () => {
  it('refuses a hostname whose DNS answer is 127.0.0.1, before any request reaches the receiver', async () => {
    const dispatcher = createWebhookDispatcher({ resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const subscription = { ...baseSubscription, url: `https://hooks.zeitung.example:${port}/hooks/polywire` };
    const result = await deliverWebhook(subscription, jobFor(subscription), { dispatcher });
    expect(result).toMatchObject({ outcome: 'disable', error: expect.stringMatching(/resolves to 127\.0\.0\.1 \(loopback\)/) });
    expect(received).toHaveLength(0);
  });

  it('refuses it at the dispatcher level too, for plain http', async () => {
    const dispatcher = createWebhookDispatcher({ resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const error = await dispatcher.request(`http://rebound.zeitung.example:${port}/`, { method: 'GET' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(received).toHaveLength(0);
  });

  it('refuses the literal metadata address without connecting', async () => {
    const error = await strictDispatcher.request('http://169.254.169.254/latest/meta-data/', { method: 'GET' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toMatch(/link-local/);

    const viaDelivery = await deliverWebhook({ ...baseSubscription, url: 'https://169.254.169.254/latest/meta-data/' }, jobFor(baseSubscription), { dispatcher: strictDispatcher });
    expect(viaDelivery).toMatchObject({ outcome: 'disable', error: expect.stringMatching(/169\.254\.169\.254/) });
  });

  it('refuses a literal IPv4-mapped loopback address even with allowLoopback off', async () => {
    const error = await strictDispatcher.request(`http://[::ffff:127.0.0.1]:${port}/`, { method: 'GET' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(received).toHaveLength(0);
  });
});
