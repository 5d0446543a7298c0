/**
 * What the deliver stage needs to remember: the subscriptions, and a delivery log per message so
 * that a failed push is visible (never silently "successful") and a duplicated job cannot deliver
 * a message twice. Implemented by `adapters/dynamodb/subscriptions.ts`.
 */
import type { WebhookEventType } from './event';
import type { Subscription } from './subscription';

/** `sending`: an attempt holds the claim; `retrying`: waiting for the next attempt. */
export type DeliveryStatus = 'sending' | 'retrying' | 'delivered' | 'failed';

export interface AttemptEntry {
  attempt: number;
  /** ISO instant of the attempt. */
  at: string;
  outcome: 'delivered' | 'retry' | 'disable' | 'failed';
  status?: number;
  error?: string;
}

export interface DeliveryRecord {
  subscriptionId: string;
  messageId: string;
  eventType: WebhookEventType;
  releaseId: string;
  version: number;
  language: string;
  status: DeliveryStatus;
  /** Number of the latest attempt claimed. */
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
  /** Every attempt, oldest first. */
  history: AttemptEntry[];
}

export interface ClaimRequest {
  subscriptionId: string;
  messageId: string;
  attempt: number;
  eventType: WebhookEventType;
  releaseId: string;
  version: number;
  language: string;
}

export interface AttemptResult {
  subscriptionId: string;
  messageId: string;
  attempt: number;
  status: Exclude<DeliveryStatus, 'sending'>;
  entry: AttemptEntry;
  /** ISO instant of the next attempt, for `retrying`. */
  nextAttemptAt?: string;
}

export interface SubscriptionStore {
  /** Creates a subscription; fails if the id exists. */
  create(subscription: Subscription): Promise<void>;
  get(id: string): Promise<Subscription | undefined>;
  /** All subscriptions, active and disabled, ordered by id. */
  list(): Promise<Subscription[]>;
  listActive(): Promise<Subscription[]>;
  /** Stops deliveries, keeping the reason for the operator. False when the subscription does not exist. */
  disable(id: string, reason: string, at: Date): Promise<boolean>;
  /** Resumes deliveries. False when the subscription does not exist. */
  enable(id: string): Promise<boolean>;

  /**
   * Takes the right to make attempt `attempt` of a message. False when the message was already
   * delivered, when that attempt (or a later one) was already taken, or while another worker
   * holds an unexpired claim on it: the caller must then drop its job.
   */
  claimAttempt(claim: ClaimRequest, now: Date): Promise<boolean>;
  /** Records the result of a claimed attempt. */
  recordAttempt(result: AttemptResult, now: Date): Promise<void>;
  getDelivery(subscriptionId: string, messageId: string): Promise<DeliveryRecord | undefined>;
  /** A subscription's delivery log (kept 7 days). */
  listDeliveries(subscriptionId: string): Promise<DeliveryRecord[]>;

  /**
   * Adds subscriptions to the recipients of one language version of a release (every event but a
   * withdrawal): the withdrawal goes to them. Idempotent; also records that the release is
   * tracked when `subscriptionIds` is empty.
   */
  addRecipients(releaseId: string, language: string, subscriptionIds: readonly string[], now: Date): Promise<void>;
  /**
   * The subscriptions that were sent any event of the release in `language`; undefined when
   * nothing was ever recorded for it (a release announced before recipients were recorded).
   */
  listRecipients(releaseId: string, language: string): Promise<string[] | undefined>;
}
