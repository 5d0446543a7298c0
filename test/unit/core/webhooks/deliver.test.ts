import { describe, expect, it } from 'vitest';
import { deliverJob, handleWebhookMessage, MAX_SQS_DELAY_SECONDS, type DeliverDeps } from '../../../../functions/core/webhooks/deliver';
import { messageIdFor, type DeliveryJob } from '../../../../functions/core/webhooks/event';
import type { AttemptOutcome, AttemptResult, ClaimRequest, SubscriptionStore } from '../../../../functions/ports';
import type { Subscription } from '../../../../functions/core/webhooks/subscription';
import type { QueueMessage } from '../../../../functions/ports';
import { publishedEvent, subscription } from './fixtures';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** An in-memory store with the claim semantics the use case relies on (one claim per attempt). */
function memoryStore(subscriptions: Subscription[]) {
  const claims = new Set<string>();
  const attempts: AttemptResult[] = [];
  const recipients = new Map<string, Set<string>>();
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
    addRecipients: async (releaseId, language, ids) => {
      const key = `${releaseId}/${language}`;
      recipients.set(key, new Set([...(recipients.get(key) ?? []), ...ids]));
    },
    listRecipients: async (releaseId, language) => {
      const ids = recipients.get(`${releaseId}/${language}`);
      return ids ? [...ids].sort() : undefined;
    },
  };
  return { store, attempts, recipients };
}

function setup(outcome: AttemptOutcome, subscriptions: Subscription[] = [subscription]) {
  const sent: QueueMessage[] = [];
  const { store, attempts, recipients } = memoryStore(subscriptions);
  const deps: DeliverDeps = {
    store,
    queue: { send: async (messages) => void sent.push(...messages) },
    send: async () => outcome,
    clock: { now: () => new Date('2026-11-26T10:00:00.000Z') },
    logger: silent,
  };
  return { deps, sent, attempts, recipients, subscriptions };
}

const targetsOf = (sent: QueueMessage[]) => sent.map((m) => (m.body as DeliveryJob).subscriptionId).sort();

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

  it('sends a withdrawal only to the subscriptions that were sent the language version, even if their filters changed since', async () => {
    const french = { ...subscription, id: 'sub_french', languages: ['fr'] };
    const german = { ...subscription, id: 'sub_german', languages: ['de'] };
    const { deps, sent, subscriptions } = setup({ outcome: 'delivered' }, [french, german]);
    await handleWebhookMessage(deps, { event: publishedEvent });
    expect(targetsOf(sent)).toEqual(['sub_french']);

    // The French subscriber now only wants German, and a new subscriber arrived: neither changes who had the copy.
    subscriptions[0] = { ...french, languages: ['de'] };
    subscriptions.push({ ...subscription, id: 'sub_late' });
    sent.length = 0;
    const result = await handleWebhookMessage(deps, { event: { ...publishedEvent, type: 'release.withdrawn', reason: 'Issued in error' } });
    expect(result).toEqual({ kind: 'fanned-out', subscribers: 1 });
    expect(targetsOf(sent)).toEqual(['sub_french']);
  });

  it('leaves out a recipient that has since opted out of withdrawals or been disabled', async () => {
    const { deps, sent, subscriptions } = setup({ outcome: 'delivered' }, [
      { ...subscription, id: 'sub_a' },
      { ...subscription, id: 'sub_b' },
    ]);
    await handleWebhookMessage(deps, { event: publishedEvent });
    subscriptions[0] = { ...subscriptions[0]!, events: ['release.published'] };
    subscriptions[1] = { ...subscriptions[1]!, status: 'disabled' };
    sent.length = 0;
    expect(await handleWebhookMessage(deps, { event: { ...publishedEvent, type: 'release.withdrawn' } })).toEqual({ kind: 'fanned-out', subscribers: 0 });
  });

  it('records a language version that reached nobody, so its withdrawal reaches nobody either', async () => {
    const { deps, sent, recipients } = setup({ outcome: 'delivered' }, [{ ...subscription, languages: ['ja'] }]);
    await handleWebhookMessage(deps, { event: publishedEvent });
    expect(recipients.get(`${publishedEvent.releaseId}/fr`)).toEqual(new Set());
    await handleWebhookMessage(deps, { event: { ...publishedEvent, type: 'release.withdrawn' } });
    expect(sent).toEqual([]);
  });

  it('falls back to every subscription for a public release announced before recipients were recorded, to nobody for a never-public one', async () => {
    const { deps, sent } = setup({ outcome: 'delivered' }, [
      { ...subscription, id: 'sub_a', languages: ['ja'] },
      { ...subscription, id: 'sub_b' },
    ]);
    await handleWebhookMessage(deps, { event: { ...publishedEvent, type: 'release.withdrawn' } });
    expect(targetsOf(sent)).toEqual(['sub_a', 'sub_b']);
    sent.length = 0;
    await handleWebhookMessage(deps, { event: { ...publishedEvent, type: 'release.withdrawn', wasPublic: false } });
    expect(sent).toEqual([]);
  });

  it('sends release.embargoed only to subscriptions that opted in, and their withdrawal under embargo to them only', async () => {
    const trusted = { ...subscription, id: 'sub_trusted', embargoed: true };
    const ordinary = { ...subscription, id: 'sub_ordinary' };
    const { deps, sent } = setup({ outcome: 'delivered' }, [trusted, ordinary]);
    const embargoed = { ...publishedEvent, type: 'release.embargoed' as const, embargoedUntil: '2027-01-15T09:00:00.000Z', ninjs: { pubStatus: 'withheld' } };
    await handleWebhookMessage(deps, { event: embargoed });
    expect(targetsOf(sent)).toEqual(['sub_trusted']);
    sent.length = 0;
    await handleWebhookMessage(deps, { event: { ...publishedEvent, type: 'release.withdrawn', wasPublic: false } });
    expect(targetsOf(sent)).toEqual(['sub_trusted']);
  });
});
