/** The deliver function's HTTP sender, built once per container (its configuration: functions/config.ts). */
import { deliverWebhook } from '../adapters/webhook/deliver';
import { createWebhookDispatcher, type WebhookDispatcher } from '../adapters/webhook/http-client';
import type { DeliverConfig } from '../config';
import type { DeliverDeps } from '../core/webhooks/deliver';
import { loopbackAllowed } from '../core/webhooks/subscription';

/**
 * The use case's `send`: one signed attempt through a dispatcher that checks every resolved
 * address (SSRF). A subscription that may reach loopback (`loopbackAllowed`) gets a dispatcher
 * whose policy lets loopback through; every other one the strict dispatcher, so a public-looking
 * host that resolves to 127.0.0.1 is refused even on the local stack.
 */
export function createWebhookSender(
  config: Pick<DeliverConfig, 'allowLoopback'>,
  dispatcher: WebhookDispatcher = createWebhookDispatcher(),
  loopbackDispatcher: WebhookDispatcher | undefined = config.allowLoopback ? createWebhookDispatcher({ allowLoopback: true }) : undefined,
): DeliverDeps['send'] {
  return (subscription, job) => {
    const allowLoopback = loopbackDispatcher !== undefined && loopbackAllowed(subscription, config.allowLoopback);
    return deliverWebhook(subscription, job, { dispatcher: allowLoopback ? loopbackDispatcher : dispatcher, allowLoopback });
  };
}
