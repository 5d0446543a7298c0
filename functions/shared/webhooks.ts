/** The deliver function's HTTP sender, built once per container (its configuration: functions/config.ts). */
import type { Dispatcher } from 'undici';
import { deliverWebhook } from '../adapters/webhook/deliver';
import { createWebhookDispatcher } from '../adapters/webhook/http-client';
import type { DeliverConfig } from '../config';
import type { DeliverDeps } from '../core/webhooks/deliver';

/** The use case's `send`: one signed attempt through a dispatcher that checks every resolved address (SSRF). */
export function createWebhookSender(config: Pick<DeliverConfig, 'allowLoopback'>, dispatcher: Dispatcher = createWebhookDispatcher({ allowLoopback: config.allowLoopback })): DeliverDeps['send'] {
  return (subscription, job) => deliverWebhook(subscription, job, { dispatcher, allowLoopback: config.allowLoopback });
}
