/**
 * The deliver function's configuration: it needs only the table and its own queue, so it does not
 * read the whole pipeline configuration (functions/config.ts), which would make it require a
 * translation engine it never uses. A module of its own, so that the deliver asset carries neither
 * the engine registry nor the QA policy parser that the pipeline configuration imports.
 */
import { ConfigError } from '../core/errors';
import type { ObservabilityOptions } from '../shared/observability';
import { type Env, isLocalEnvironment, observabilityConfig } from '../shared/environment';

export interface DeliverConfig {
  tableName: string;
  webhookQueueUrl: string;
  /** On the local stack only (the SDK talks to emulators) may a subscription made with `--allow-loopback` reach a loopback receiver (`loopbackAllowed`). */
  allowLoopback: boolean;
  local: boolean;
  observability?: ObservabilityOptions;
}

/**
 * Reads the deliver function's settings; fails fast naming the missing variable.
 *
 * @throws ConfigError "environment variable TABLE_NAME is not set: the deliver function needs …"
 */
export function loadDeliverConfig(env: Env): DeliverConfig {
  const need = (name: string, what: string) => {
    const value = env[name]?.trim();
    if (!value) throw new ConfigError(`environment variable ${name} is not set: the deliver function needs ${what}`);
    return value;
  };
  const local = isLocalEnvironment(env);
  return {
    tableName: need('TABLE_NAME', 'the DynamoDB table name'),
    webhookQueueUrl: need('WEBHOOK_QUEUE_URL', 'the webhook queue URL'),
    allowLoopback: local,
    local,
    ...observabilityConfig(env),
  };
}
