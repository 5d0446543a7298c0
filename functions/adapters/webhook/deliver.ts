/**
 * One delivery attempt: sign, POST through the SSRF-safe dispatcher, read at most a little of the
 * answer, and say what happens next (done, retry after a delay, disable the subscription, give up).
 * It never throws for anything the endpoint or the network does: every outcome is a value the
 * deliver stage records.
 */
import { serializeEnvelope, type DeliveryJob } from '../../core/webhooks/event';
import { classifyResponse, MAX_ATTEMPTS, nextAttemptDelay } from '../../core/webhooks/retry';
import { subscriptionUrlProblem, type Subscription } from '../../core/webhooks/subscription';
import { BlockedAddressError } from './address-policy';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, type WebhookDispatcher, type WebhookResponse } from './http-client';
import { signedWebhookHeaders } from './sign';
import type { AttemptOutcome } from '../../ports';

/** Receivers' answers are only read to free the connection; nobody needs more than this. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface DeliverOptions {
  /** From `createWebhookDispatcher` (with the same `allowLoopback`). */
  dispatcher: WebhookDispatcher;
  /** Signing time; defaults to the system clock. */
  now?: () => Date;
  /** Accept http://127.0.0.1 / localhost subscriptions (local runs and tests). */
  allowLoopback?: boolean;
  /** Budget of the whole request (ms); 15 s by default. */
  timeoutMs?: number;
  /** Randomness for the back-off jitter. */
  random?: () => number;
}

function findCause<T>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current instanceof type) return current;
    current = current.cause;
  }
  return undefined;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: string }).code;
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${code ? `${code} ` : ''}${error.message}${cause}`;
}

/** Reads and drops at most `MAX_RESPONSE_BYTES` of the body so the socket can be reused or closed. */
async function discardBody(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<void> {
  let read = 0;
  try {
    for await (const chunk of body) {
      read += chunk.length;
      if (read >= MAX_RESPONSE_BYTES) break;
    }
  } catch {
    // The status line already decided the outcome; a broken body does not change it.
  } finally {
    body.destroy();
  }
}

function retryOrGiveUp(job: DeliveryJob, reason: string, options: DeliverOptions, status?: number, retryAfter?: string): AttemptOutcome {
  const now = options.now?.() ?? new Date();
  const delayMs = nextAttemptDelay(job.attempt, retryAfter, { now, ...(options.random ? { random: options.random } : {}) });
  const withStatus = status === undefined ? {} : { status };
  if (delayMs === undefined) {
    return { outcome: 'failed', ...withStatus, error: `${reason}; gave up after ${MAX_ATTEMPTS} attempts` };
  }
  return { outcome: 'retry', ...withStatus, delayMs, error: reason };
}

/**
 * Makes one attempt to deliver `job` to `subscription`.
 *
 * @example
 * const result = await deliverWebhook(subscription, job, { dispatcher });
 * if (result.outcome === 'retry') requeue(job, result.delayMs);
 */
export async function deliverWebhook(subscription: Subscription, job: DeliveryJob, options: DeliverOptions): Promise<AttemptOutcome> {
  const urlProblem = subscriptionUrlProblem(subscription.url, { allowLoopback: options.allowLoopback ?? false });
  if (urlProblem) return { outcome: 'disable', error: `subscription URL refused: ${urlProblem}` };

  const body = serializeEnvelope(job.event);
  const headers = signedWebhookHeaders({
    secret: subscription.secret,
    messageId: job.messageId,
    timestamp: options.now?.() ?? new Date(),
    body,
  });
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;

  let response: WebhookResponse;
  try {
    response = await options.dispatcher.request(subscription.url, { method: 'POST', headers, body, timeoutMs });
  } catch (error) {
    const blocked = findCause(error, BlockedAddressError);
    if (blocked) return { outcome: 'disable', error: blocked.message };
    return retryOrGiveUp(job, describeNetworkError(error), options);
  }

  await discardBody(response.body);
  const status = response.statusCode;
  const verdict = classifyResponse(status);
  switch (verdict.outcome) {
    case 'delivered':
      return { outcome: 'delivered', status };
    case 'disable':
      return { outcome: 'disable', status, error: verdict.reason };
    case 'retry': {
      const header = response.headers['retry-after'];
      const retryAfter = verdict.honourRetryAfter ? (Array.isArray(header) ? header[0] : header) : undefined;
      return retryOrGiveUp(job, verdict.reason, options, status, retryAfter);
    }
  }
}
