import { describe, expect, it } from 'vitest';
import { deliverJob, handleWebhookMessage, MAX_SQS_DELAY_SECONDS, type AttemptOutcome, type DeliverDeps } from '../../../../functions/core/webhooks/deliver';
import { messageIdFor, type DeliveryJob } from '../../../../functions/core/webhooks/event';
import type { AttemptResult, ClaimRequest, SubscriptionStore } from '../../../../functions/core/webhooks/store';
import type { Subscription } from '../../../../functions/core/webhooks/subscription';
import type { QueueMessage } from '../../../../functions/ports';
import { publishedEvent, subscription } from './fixtures';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** An in-memory store with the claim semantics the use case relies on (one claim per attempt). */
function memoryStore(subscriptions: Subscription[]) {
  const claims = new Set<string>();
  const attempts: AttemptResult[] = [];
  const store: SubscriptionStore = {
    create: async () => {},
    get: async (id) => subscriptions.find((s) => s.id === id),
    list: async () => subscriptions,
    listActive: async () => subscriptions.filter((s) => s.status === 'active'),
    disable: async () => true,
    enable: async () => true,
    claimAttempt: async (claim: ClaimRequest) => {
      const key = `${claim.subscriptionId}/${claim.messageId}/${claim.attempt}`;
      if (claims.has(key)) return false;
      claims.add(key);
      return true;
    },
    recordAttempt: async (result) => void attempts.push(result),
    getDelivery: async () => undefined,
    listDeliveries: async () => [],
  };
  return { store, attempts };
}

function setup(outcome: AttemptOutcome, subscriptions: Subscription[] = [subscription]) {
  const sent: QueueMessage[] = [];
  const { store, attempts } = memoryStore(subscriptions);
  const deps: DeliverDeps = {
    store,
    queue: { send: async (messages) => void sent.push(...messages) },
    send: async () => outcome,
    clock: { now: () => new Date('2026-11-26T10:00:00.000Z') },
    logger: silent,
  };
  return { deps, sent, attempts };
}

const job = (overrides: Partial<DeliveryJob> = {}): DeliveryJob => ({
  subscriptionId: subscription.id,
  messageId: messageIdFor(subscription.id, publishedEvent),
  event: publishedEvent,
  attempt: 1,
  ...overrides,
});

describe('deliver use case', () => {
  it('fans a published event out into one delivery job per active subscription', async () => {
    const disabled = { ...subscription, id: 'sub_disabled', status: 'disabled' as const };
    const { deps, sent } = setup({ outcome: 'delivered' }, [subscription, disabled]);
    const result = await handleWebhookMessage(deps, { event: publishedEvent });
    expect(result).toEqual({ kind: 'fanned-out', subscribers: 1 });
    expect(sent.map((m) => (m.body as DeliveryJob).subscriptionId)).toEqual([subscription.id]);
  });

  it('records a delivered attempt, and drops a duplicate of the same attempt', async () => {
    const { deps, attempts } = setup({ outcome: 'delivered', status: 204 });
    expect(await deliverJob(deps, job())).toEqual({ kind: 'delivered' });
    expect(await deliverJob(deps, job())).toEqual({ kind: 'duplicate' });
    expect(attempts.map((a) => [a.attempt, a.status, a.entry.status])).toEqual([[1, 'delivered', 204]]);
  });

  it('requeues a retry with an SQS delay, and carries the due time past the 15-minute limit', async () => {
    const soon = setup({ outcome: 'retry', status: 503, delayMs: 5_000 });
    expect(await deliverJob(soon.deps, job())).toEqual({ kind: 'retry-scheduled', delaySeconds: 5 });
    expect(soon.sent[0]).toMatchObject({ delaySeconds: 5, body: { attempt: 2 } });
    expect((soon.sent[0]!.body as DeliveryJob).notBefore).toBeUndefined();

    const later = setup({ outcome: 'retry', status: 503, delayMs: 2 * 3600_000 });
    await deliverJob(later.deps, job());
    expect(later.sent[0]!.delaySeconds).toBe(MAX_SQS_DELAY_SECONDS);
    expect((later.sent[0]!.body as DeliveryJob).notBefore).toBe(Date.parse('2026-11-26T12:00:00.000Z'));
    expect(later.attempts[0]).toMatchObject({ status: 'retrying', nextAttemptAt: '2026-11-26T12:00:00.000Z' });
  });

  it('delays a job that is not due yet without attempting it', async () => {
    const { deps, sent, attempts } = setup({ outcome: 'delivered' });
    const result = await deliverJob(deps, job({ notBefore: Date.parse('2026-11-26T10:05:00.000Z') }));
    expect(result).toEqual({ kind: 'not-due', delaySeconds: 300 });
    expect(sent).toHaveLength(1);
    expect(attempts).toEqual([]);
  });

  it('drops a job for a disabled subscription', async () => {
    const { deps } = setup({ outcome: 'delivered' }, [{ ...subscription, status: 'disabled' }]);
    expect(await deliverJob(deps, job())).toEqual({ kind: 'inactive' });
  });
});
