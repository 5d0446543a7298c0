/**
 * The one loopback rule of the deliver function: a loopback receiver is called only when the
 * subscription was made with --allow-loopback and the function runs on the local stack (its SDK
 * points at emulators). A local receiver on 127.0.0.1 stands in for the subscriber.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageIdFor, type DeliveryJob } from '../../../../functions/core/webhooks/event';
import { LOOPBACK_RULE, loopbackAllowed, type Subscription } from '../../../../functions/core/webhooks/subscription';
import { loadDeliverConfig } from '../../../../functions/config';
import { createWebhookSender } from '../../../../functions/shared/webhooks';
import { publishedEvent, subscription as baseSubscription } from '../../core/webhooks/fixtures';

let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits += 1;
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const base = { TABLE_NAME: 'polywire', WEBHOOK_QUEUE_URL: 'http://127.0.0.1:9324/queue/polywire-webhook' };
const localEnv = { ...base, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' };

function local(allowLoopback: boolean): Subscription {
  return { ...baseSubscription, url: `http://127.0.0.1:${port}/hook`, ...(allowLoopback ? { allowLoopback: true } : {}) };
}
const jobFor = (s: Subscription): DeliveryJob => ({ subscriptionId: s.id, messageId: messageIdFor(s.id, publishedEvent), event: publishedEvent, attempt: 1 });

describe('loopbackAllowed', () => {
  it('needs both the subscription’s opt-in and a local run', () => {
    expect(loopbackAllowed({ allowLoopback: true }, true)).toBe(true);
    expect(loopbackAllowed({ allowLoopback: true }, false)).toBe(false);
    expect(loopbackAllowed({}, true)).toBe(false);
  });
});

describe('loadDeliverConfig', () => {
  it('derives the local run from the SDK endpoints, with no separate switch', () => {
    expect(loadDeliverConfig(localEnv).allowLoopback).toBe(true);
    expect(loadDeliverConfig(base).allowLoopback).toBe(false);
    // The old switch no longer turns anything on by itself in the cloud.
    expect(loadDeliverConfig({ ...base, WEBHOOK_ALLOW_LOOPBACK: 'true' }).allowLoopback).toBe(false);
  });
});

describe('createWebhookSender', () => {
  it('delivers to a loopback receiver on the local stack when the subscription says so', async () => {
    const before = hits;
    const send = createWebhookSender(loadDeliverConfig(localEnv));
    const subscription = local(true);
    await expect(send(subscription, jobFor(subscription))).resolves.toEqual({ outcome: 'delivered', status: 204 });
    expect(hits).toBe(before + 1);
  });

  it('refuses the same receiver without the opt-in, naming the rule, and sends nothing', async () => {
    const before = hits;
    const send = createWebhookSender(loadDeliverConfig(localEnv));
    const subscription = local(false);
    await expect(send(subscription, jobFor(subscription))).resolves.toEqual({ outcome: 'disable', error: `subscription URL refused: ${LOOPBACK_RULE}` });
    expect(hits).toBe(before);
  });

  it('refuses an opted-in loopback subscription outside the local stack (the cloud stays https-only)', async () => {
    const before = hits;
    const send = createWebhookSender(loadDeliverConfig(base));
    const subscription = local(true);
    await expect(send(subscription, jobFor(subscription))).resolves.toEqual({ outcome: 'disable', error: `subscription URL refused: ${LOOPBACK_RULE}` });
    expect(hits).toBe(before);
  });
});
