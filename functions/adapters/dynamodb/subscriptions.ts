/**
 * Subscriptions and their delivery log in the single table.
 *
 * | item         | pk          | sk               | gsi1pk | gsi1sk | ttl (expiresAt) |
 * |--------------|-------------|------------------|--------|--------|-----------------|
 * | subscription | `SUB#<id>`  | `SUB`            | `SUBS` | `<id>` | —               |
 * | delivery     | `SUB#<id>`  | `DLV#<msgId>`    | —      | —      | 7 days          |
 * | recipients   | `REL#<id>`  | `RCPT#<lang>`    | —      | —      | —               |
 *
 * The recipients item of a release's language version holds the string set `subscriptionIds` of
 * every subscription that was sent an event of it (kept for as long as the release: a withdrawal
 * may come years later); it lives in the release's partition.
 *
 * The signing secret is an attribute of the subscription item (the table is encrypted at rest).
 * Nothing in this module logs; callers must not log a `Subscription` object whole.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, queryAllPages } from './conditions';
import { SubscriptionSchema, type Subscription } from '../../core/webhooks/subscription';
import type { AttemptResult, ClaimRequest, DeliveryRecord, SubscriptionStore } from '../../ports';

/** Delivery log entries are kept this long after their last write. */
export const DELIVERY_LOG_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * How long a claimed attempt blocks other workers. Longer than one attempt can take (15 s request
 * budget plus bookkeeping), shorter than the queue's visibility timeout, so a crashed worker's
 * message, when SQS hands it out again, can take the attempt over.
 */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;

const SUBSCRIPTION_SK = 'SUB';
const SUBSCRIPTIONS_GSI1PK = 'SUBS';

export const subscriptionKey = (id: string) => ({ pk: `SUB#${id}`, sk: SUBSCRIPTION_SK });
export const recipientsKey = (releaseId: string, language: string) => ({ pk: `REL#${releaseId}`, sk: `RCPT#${language}` });
export const deliveryKey = (subscriptionId: string, messageId: string) => ({
  pk: `SUB#${subscriptionId}`,
  sk: `DLV#${messageId}`,
});

interface SubscriptionItem {
  pk: string;
  sk: string;
  gsi1pk: string;
  gsi1sk: string;
  type: 'subscription';
  id: string;
  url: string;
  secret: string;
  filters: { languages?: string[]; categories?: string[]; events?: string[] };
  /** Receives `release.embargoed`. */
  embargoed?: boolean;
  /** Made with `--allow-loopback` (a receiver on the local machine; local stack only). */
  allowLoopback?: boolean;
  status: 'active' | 'disabled';
  disabledReason?: string;
  disabledAt?: string;
  createdAt?: string;
}

function toItem(subscription: Subscription): SubscriptionItem {
  const filters: SubscriptionItem['filters'] = {};
  if (subscription.languages) filters.languages = subscription.languages;
  if (subscription.categories) filters.categories = subscription.categories;
  if (subscription.events) filters.events = subscription.events;
  return {
    ...subscriptionKey(subscription.id),
    gsi1pk: SUBSCRIPTIONS_GSI1PK,
    gsi1sk: subscription.id,
    type: 'subscription',
    id: subscription.id,
    url: subscription.url,
    secret: subscription.secret,
    filters,
    ...(subscription.embargoed ? { embargoed: true } : {}),
    ...(subscription.allowLoopback ? { allowLoopback: true } : {}),
    status: subscription.status,
    ...(subscription.disabledReason ? { disabledReason: subscription.disabledReason } : {}),
    ...(subscription.createdAt ? { createdAt: subscription.createdAt } : {}),
  };
}

function fromItem(item: Record<string, unknown>): Subscription {
  const filters = (item.filters ?? {}) as SubscriptionItem['filters'];
  return SubscriptionSchema.parse({
    id: item.id,
    url: item.url,
    secret: item.secret,
    status: item.status,
    ...(filters.languages ? { languages: filters.languages } : {}),
    ...(filters.categories ? { categories: filters.categories } : {}),
    ...(filters.events ? { events: filters.events } : {}),
    ...(item.embargoed === true ? { embargoed: true } : {}),
    ...(item.allowLoopback === true ? { allowLoopback: true } : {}),
    ...(item.disabledReason ? { disabledReason: item.disabledReason } : {}),
    ...(item.createdAt ? { createdAt: item.createdAt } : {}),
  });
}

function toDeliveryRecord(item: Record<string, unknown>): DeliveryRecord {
  const optional = <K extends string>(key: K) => (item[key] === undefined ? {} : { [key]: item[key] });
  return {
    subscriptionId: item.subscriptionId as string,
    messageId: item.messageId as string,
    eventType: item.eventType as DeliveryRecord['eventType'],
    releaseId: item.releaseId as string,
    version: item.version as number,
    language: item.language as string,
    status: item.status as DeliveryRecord['status'],
    attempts: item.attempts as number,
    history: (item.history ?? []) as DeliveryRecord['history'],
    ...optional('lastStatus'),
    ...optional('lastError'),
    ...optional('lastAttemptAt'),
    ...optional('nextAttemptAt'),
  } as DeliveryRecord;
}

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * DynamoDB implementation of the subscription store and delivery log.
 *
 * @example
 * const store = new DynamoDbSubscriptionStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 'polywire' });
 * const targets = await store.listActive();
 */
export class DynamoDbSubscriptionStore implements SubscriptionStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor({ client, tableName }: { client: DynamoDBDocumentClient; tableName: string }) {
    this.client = client;
    this.tableName = tableName;
  }

  async create(subscription: Subscription): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: toItem(SubscriptionSchema.parse(subscription)),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<Subscription | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: subscriptionKey(id), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async list(): Promise<Subscription[]> {
    return this.querySubscriptions(false);
  }

  async listActive(): Promise<Subscription[]> {
    return this.querySubscriptions(true);
  }

  private async querySubscriptions(activeOnly: boolean): Promise<Subscription[]> {
    const items = await queryAllPages(this.client, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :subs',
      ...(activeOnly ? { FilterExpression: '#status = :active', ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: { ':subs': SUBSCRIPTIONS_GSI1PK, ...(activeOnly ? { ':active': 'active' } : {}) },
    });
    return items.map(fromItem);
  }

  async disable(id: string, reason: string, at: Date): Promise<boolean> {
    return this.updateExisting(id, {
      UpdateExpression: 'SET #status = :disabled, disabledReason = :reason, disabledAt = :at',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':disabled': 'disabled', ':reason': reason, ':at': at.toISOString() },
    });
  }

  async enable(id: string): Promise<boolean> {
    return this.updateExisting(id, {
      UpdateExpression: 'SET #status = :active REMOVE disabledReason, disabledAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'active' },
    });
  }

  private async updateExisting(id: string, update: Pick<ConstructorParameters<typeof UpdateCommand>[0], 'UpdateExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: subscriptionKey(id),
          ConditionExpression: 'attribute_exists(pk)',
          ...update,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async claimAttempt(claim: ClaimRequest, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(claim.subscriptionId, claim.messageId),
          UpdateExpression: [
            'SET #status = :sending, attempts = :attempt, claimedUntil = :lease, expiresAt = :expires,',
            'subscriptionId = :sub, messageId = :msg, eventType = :type, releaseId = :release,',
            '#version = :version, #language = :language, createdAt = if_not_exists(createdAt, :now)',
          ].join(' '),
          // One attempt number is made once: a duplicated message of the same attempt, or a stale
          // one of an earlier attempt, finds it taken. A claim whose worker died expires.
          ConditionExpression: ['attribute_not_exists(pk) OR', '(#status <> :delivered AND (attempts < :attempt OR', '(attempts = :attempt AND #status = :sending AND claimedUntil < :nowMs)))'].join(' '),
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version', '#language': 'language' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':delivered': 'delivered',
            ':attempt': claim.attempt,
            ':lease': now.getTime() + CLAIM_LEASE_MS,
            ':nowMs': now.getTime(),
            ':now': now.toISOString(),
            ':expires': epochSeconds(now) + DELIVERY_LOG_TTL_SECONDS,
            ':sub': claim.subscriptionId,
            ':msg': claim.messageId,
            ':type': claim.eventType,
            ':release': claim.releaseId,
            ':version': claim.version,
            ':language': claim.language,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async recordAttempt(result: AttemptResult, now: Date): Promise<void> {
    const set = ['#status = :status', 'lastAttemptAt = :at', 'expiresAt = :expires', 'history = list_append(if_not_exists(history, :empty), :entry)'];
    const remove = ['claimedUntil'];
    const values: Record<string, unknown> = {
      ':status': result.status,
      ':at': result.entry.at,
      ':expires': epochSeconds(now) + DELIVERY_LOG_TTL_SECONDS,
      ':empty': [],
      ':entry': [result.entry],
      ':attempt': result.attempt,
    };
    const optional: Array<[string, unknown]> = [
      ['lastStatus', result.entry.status],
      ['lastError', result.entry.error],
      ['nextAttemptAt', result.nextAttemptAt],
    ];
    for (const [name, value] of optional) {
      if (value === undefined) {
        remove.push(name);
      } else {
        set.push(`${name} = :${name}`);
        values[`:${name}`] = value;
      }
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: deliveryKey(result.subscriptionId, result.messageId),
        UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
        // Only the holder of this attempt writes its result.
        ConditionExpression: 'attempts = :attempt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async getDelivery(subscriptionId: string, messageId: string): Promise<DeliveryRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: deliveryKey(subscriptionId, messageId), ConsistentRead: true }));
    return Item ? toDeliveryRecord(Item) : undefined;
  }

  async addRecipients(releaseId: string, language: string, subscriptionIds: readonly string[], now: Date): Promise<void> {
    // ADD on a string set is idempotent and needs no read; an empty set cannot be written, so
    // the item then only records that the language version is tracked.
    const ids = [...new Set(subscriptionIds)];
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: recipientsKey(releaseId, language),
        UpdateExpression: `SET #type = :type, releaseId = :release, #language = :language, updatedAt = :now${ids.length > 0 ? ' ADD subscriptionIds :ids' : ''}`,
        ExpressionAttributeNames: { '#type': 'type', '#language': 'language' },
        ExpressionAttributeValues: {
          ':type': 'recipients',
          ':release': releaseId,
          ':language': language,
          ':now': now.toISOString(),
          ...(ids.length > 0 ? { ':ids': new Set(ids) } : {}),
        },
      }),
    );
  }

  async listRecipients(releaseId: string, language: string): Promise<string[] | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: recipientsKey(releaseId, language), ConsistentRead: true }));
    if (!Item) return undefined;
    const ids = Item.subscriptionIds as Set<string> | undefined;
    return ids ? [...ids].sort() : [];
  }

  async listDeliveries(subscriptionId: string): Promise<DeliveryRecord[]> {
    const items = await queryAllPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dlv)',
      ExpressionAttributeValues: { ':pk': `SUB#${subscriptionId}`, ':dlv': 'DLV#' },
    });
    return items.map(toDeliveryRecord);
  }
}
