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
import { loopbackAllowed } from '../core/webhooks/subscription';

export interface DeliverConfig {
  tableName: string;
  webhookQueueUrl: string;
  /**
   * The deliver function runs on the local stack (the SDK talks to emulators): only then may a
   * subscription made with `--allow-loopback` be delivered to a loopback receiver (`loopbackAllowed`).
   */
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
    allowLoopback: isLocalEnvironment(env),
  };
}

/**
 * The use case's `send`: one signed attempt through a dispatcher that checks every resolved
 * address (SSRF). A subscription that may reach loopback (`loopbackAllowed`) gets a dispatcher
 * whose policy lets loopback through; every other one the strict dispatcher, so a public-looking
 * host that resolves to 127.0.0.1 is refused even on the local stack.
 */
export function createWebhookSender(
  config: Pick<DeliverConfig, 'allowLoopback'>,
  dispatcher: Dispatcher = createWebhookDispatcher(),
  loopbackDispatcher: Dispatcher | undefined = config.allowLoopback ? createWebhookDispatcher({ allowLoopback: true }) : undefined,
): DeliverDeps['send'] {
  return (subscription, job) => {
    const allowLoopback = loopbackDispatcher !== undefined && loopbackAllowed(subscription, config.allowLoopback);
    return deliverWebhook(subscription, job, { dispatcher: allowLoopback ? loopbackDispatcher : dispatcher, allowLoopback });
  };
}
