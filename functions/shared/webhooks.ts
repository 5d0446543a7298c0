/**
 * The deliver function's configuration and HTTP sender, built once per container at module scope.
 * Deliver needs only the table and its own queue, so it does not read the whole pipeline
 * configuration (which would make it require a translation engine it never uses).
 */
import type { Dispatcher } from 'undici';
import { deliverWebhook } from '../adapters/webhook/deliver';
import { createWebhookDispatcher } from '../adapters/webhook/http-client';
import { isLocalEnvironment } from '../config';
import { ConfigError } from '../core/errors';
import type { DeliverDeps } from '../core/webhooks/deliver';

export interface DeliverConfig {
  tableName: string;
  webhookQueueUrl: string;
  /** Loopback receivers are for local runs: honoured only when the SDK talks to emulators. */
  allowLoopback: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the deliver function's settings; fails fast naming the missing variable.
 *
 * @throws ConfigError "environment variable TABLE_NAME is not set: the deliver function needs …"
 * @example
 * const config = loadDeliverConfig(process.env);
 */
export function loadDeliverConfig(env: Env = process.env): DeliverConfig {
  const need = (name: string, what: string) => {
    const value = env[name]?.trim();
    if (!value) throw new ConfigError(`environment variable ${name} is not set: the deliver function needs ${what}`);
    return value;
  };
  return {
    tableName: need('TABLE_NAME', 'the DynamoDB table name'),
    webhookQueueUrl: need('WEBHOOK_QUEUE_URL', 'the webhook queue URL'),
    allowLoopback: env.WEBHOOK_ALLOW_LOOPBACK === 'true' && isLocalEnvironment(env),
  };
}

/** The use case's `send`: one signed attempt through a dispatcher that checks every resolved address (SSRF). */
export function createWebhookSender(config: Pick<DeliverConfig, 'allowLoopback'>, dispatcher: Dispatcher = createWebhookDispatcher({ allowLoopback: config.allowLoopback })): DeliverDeps['send'] {
  return (subscription, job) => deliverWebhook(subscription, job, { dispatcher, allowLoopback: config.allowLoopback });
}
