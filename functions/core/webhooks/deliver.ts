/**
 * The deliver use case: a webhook queue message is either a `WebhookJob` from the publish stage
 * (fanned out into one `DeliveryJob` per matching active subscription, on the same queue) or a
 * `DeliveryJob` (one attempt; a retry goes back on the queue with a delay). Every attempt is
 * claimed first (a duplicated job cannot deliver twice) and lands in the delivery log, so a failed
 * push is visible. Pure: the store, the queue, the HTTP attempt and the clock are ports.
 */
import type { AttemptEntry, Clock, JobQueue, QueueMessage, StageLogger, SubscriptionStore, WebhookSender } from '../../ports';
import { messageIdFor, parseWebhookQueueMessage, type DeliveryJob, type WebhookEvent } from './event';
import { matches, reachesWithdrawal, type Subscription } from './subscription';

/** SQS's per-message delay limit. */
export const MAX_SQS_DELAY_SECONDS = 900;
/** A job due within this margin runs now rather than being delayed once more for a moment. */
const DUE_TOLERANCE_MS = 1_000;

export interface DeliverDeps {
  store: SubscriptionStore;
  /** The webhook queue itself: fan-out and retries go back on it. */
  queue: JobQueue;
  /** Makes one signed HTTP attempt. */
  send: WebhookSender;
  clock: Clock;
  logger: StageLogger;
}

/** What handling one queue message did; the handler turns it into metrics. */
export type DeliverResult =
  | { kind: 'fanned-out'; subscribers: number }
  | { kind: 'not-due'; delaySeconds: number }
  | { kind: 'inactive' }
  | { kind: 'duplicate' }
  | { kind: 'delivered' }
  | { kind: 'retry-scheduled'; delaySeconds: number }
  | { kind: 'disabled' }
  | { kind: 'failed' };

/**
 * Handles one webhook queue message body (already JSON-parsed).
 *
 * @throws InputError when the body is neither a `WebhookJob` nor a `DeliveryJob`; store and
 *   queue failures propagate, so the message is retried.
 * @example
 * const result = await handleWebhookMessage(deps, JSON.parse(record.body));
 */
export async function handleWebhookMessage(deps: DeliverDeps, body: unknown): Promise<DeliverResult> {
  const message = parseWebhookQueueMessage(body);
  return message.kind === 'fan-out' ? fanOut(deps, message.job.event) : deliverJob(deps, message.job);
}

/**
 * Queues one `DeliveryJob` per active subscription that wants the event. A withdrawal goes to the
 * subscriptions that were sent the language version before (the recipient log), whatever their
 * filters say now; every other event adds its targets to that log first, so that a crash between
 * the two can only over-notify a later withdrawal, never miss a copy.
 */
export async function fanOut(deps: DeliverDeps, event: WebhookEvent): Promise<DeliverResult> {
  const active = await deps.store.listActive();
  let targets: Subscription[];
  if (event.type === 'release.withdrawn') {
    const recipients = await deps.store.listRecipients(event.releaseId, event.language);
    if (recipients !== undefined) {
      const had = new Set(recipients);
      targets = active.filter((subscription) => had.has(subscription.id) && reachesWithdrawal(subscription));
    } else {
      // Announced before recipients were recorded: every subscription that may have a copy (a
      // public language only; a never-public one reached nobody but the recorded embargo subscribers).
      targets = event.wasPublic === false ? [] : active.filter(reachesWithdrawal);
    }
  } else {
    targets = active.filter((subscription) => matches(subscription, event));
    await deps.store.addRecipients(
      event.releaseId,
      event.language,
      targets.map((subscription) => subscription.id),
      deps.clock.now(),
    );
  }
  const messages: QueueMessage[] = targets.map((subscription) => {
    const job: DeliveryJob = { subscriptionId: subscription.id, messageId: messageIdFor(subscription.id, event), event, attempt: 1 };
    return { body: job };
  });
  if (messages.length > 0) await deps.queue.send(messages);
  deps.logger.info('webhook event fanned out', { ...eventKeys(event), subscribers: messages.length });
  return { kind: 'fanned-out', subscribers: messages.length };
}

/** Makes one attempt of a delivery job (unless it is not due, inactive or a duplicate) and records it. */
export async function deliverJob(deps: DeliverDeps, job: DeliveryJob): Promise<DeliverResult> {
  const { store, logger, clock } = deps;
  const keys = { subscriptionId: job.subscriptionId, messageId: job.messageId, attempt: job.attempt, ...eventKeys(job.event) };
  const now = clock.now();
  if (job.notBefore !== undefined && job.notBefore - now.getTime() > DUE_TOLERANCE_MS) {
    const delaySeconds = await requeue(deps.queue, job, job.notBefore, now.getTime());
    logger.debug('webhook attempt not due yet, delayed again', { ...keys, delaySeconds });
    return { kind: 'not-due', delaySeconds };
  }

  const subscription = await store.get(job.subscriptionId);
  if (subscription?.status !== 'active') {
    logger.info('webhook dropped: subscription missing or disabled', { ...keys, found: subscription !== undefined });
    return { kind: 'inactive' };
  }

  const claimed = await store.claimAttempt(
    {
      subscriptionId: job.subscriptionId,
      messageId: job.messageId,
      attempt: job.attempt,
      eventType: job.event.type,
      releaseId: job.event.releaseId,
      version: job.event.version,
      language: job.event.language,
    },
    now,
  );
  if (!claimed) {
    logger.info('webhook attempt already made or delivered: duplicate dropped', keys);
    return { kind: 'duplicate' };
  }

  const result = await deps.send(subscription, job);
  const finishedAt = clock.now();
  const entry: AttemptEntry = {
    attempt: job.attempt,
    at: now.toISOString(),
    outcome: result.outcome,
    ...(result.status === undefined ? {} : { status: result.status }),
    ...(result.error === undefined ? {} : { error: result.error }),
  };
  const logKeys = { ...keys, endpoint: originOf(subscription.url), status: result.status, error: result.error };
  const attemptKey = { subscriptionId: job.subscriptionId, messageId: job.messageId, attempt: job.attempt, entry };

  switch (result.outcome) {
    case 'delivered':
      await store.recordAttempt({ ...attemptKey, status: 'delivered' }, finishedAt);
      logger.info('webhook delivered', logKeys);
      return { kind: 'delivered' };
    case 'retry': {
      const dueAt = finishedAt.getTime() + (result.delayMs ?? 0);
      // Enqueue before recording: if recording fails, SQS redelivers this attempt and the claim
      // lease lets it run again; the reverse order could lose the retry.
      const delaySeconds = await requeue(deps.queue, { ...job, attempt: job.attempt + 1 }, dueAt, finishedAt.getTime());
      await store.recordAttempt({ ...attemptKey, status: 'retrying', nextAttemptAt: new Date(dueAt).toISOString() }, finishedAt);
      logger.warn('webhook attempt failed, retry scheduled', { ...logKeys, retryInMs: result.delayMs });
      return { kind: 'retry-scheduled', delaySeconds };
    }
    case 'disable': {
      const reason = `${result.error ?? 'disabled by the endpoint'} (message ${job.messageId}, ${finishedAt.toISOString()})`;
      await store.disable(job.subscriptionId, reason, finishedAt);
      await store.recordAttempt({ ...attemptKey, status: 'failed' }, finishedAt);
      logger.warn('webhook subscription disabled', logKeys);
      return { kind: 'disabled' };
    }
    case 'failed':
      await store.recordAttempt({ ...attemptKey, status: 'failed' }, finishedAt);
      logger.error('webhook delivery failed for good', logKeys);
      return { kind: 'failed' };
  }
}

/**
 * Puts a job back on the queue, due at `dueAt`. Past SQS's 15-minute limit the job carries its
 * due time (`notBefore`) and is delayed again on arrival.
 */
async function requeue(queue: JobQueue, job: DeliveryJob, dueAt: number, now: number): Promise<number> {
  const waitMs = Math.max(0, dueAt - now);
  const delaySeconds = Math.min(Math.ceil(waitMs / 1000), MAX_SQS_DELAY_SECONDS);
  const { notBefore: _previous, ...rest } = job;
  const body: DeliveryJob = waitMs > delaySeconds * 1000 ? { ...rest, notBefore: dueAt } : rest;
  await queue.send([{ body, delaySeconds }]);
  return delaySeconds;
}

/** Where a subscriber lives, for logs: the origin only (paths and queries may carry tokens). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

function eventKeys(event: WebhookEvent): Record<string, unknown> {
  return { eventType: event.type, releaseId: event.releaseId, version: event.version, language: event.language };
}
