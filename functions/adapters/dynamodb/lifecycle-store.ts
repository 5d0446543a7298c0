/**
 * `LifecycleStore` on DynamoDB: one item per release (`REL#<id>` / `LIFECYCLE`) holding its
 * hold, lift and withdrawal. Each transition is one conditional write, so a duplicated or
 * out-of-order message can never move a release backwards (withdrawn stays withdrawn; a lift
 * scheduled for an older hold instant does nothing).
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Hold, HoldKind, LifecycleRecord } from '../../core/lifecycle';
import type { LifecycleStore } from '../../ports';
import { isConditionFailure } from './conditions';

export interface DynamoDbLifecycleStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** The item's key: beside the release's META item. */
export const lifecycleKey = (releaseId: string): { pk: string; sk: string } => ({ pk: `REL#${releaseId}`, sk: 'LIFECYCLE' });

interface LifecycleItem {
  releaseId: string;
  state: LifecycleRecord['state'];
  holdKind?: HoldKind;
  holdUntil?: string;
  liftedAt?: string;
  withdrawnAt?: string;
  withdrawnReason?: string;
  updatedAt: string;
}

function toRecord(item: LifecycleItem): LifecycleRecord {
  const { holdKind, holdUntil, releaseId, state, liftedAt, withdrawnAt, withdrawnReason, updatedAt } = item;
  return {
    releaseId,
    state,
    ...(holdKind && holdUntil ? { hold: { kind: holdKind, until: holdUntil } } : {}),
    ...(liftedAt ? { liftedAt } : {}),
    ...(withdrawnAt ? { withdrawnAt } : {}),
    ...(withdrawnReason ? { withdrawnReason } : {}),
    updatedAt,
  };
}

export class DynamoDbLifecycleStore implements LifecycleStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDbLifecycleStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async get(releaseId: string): Promise<LifecycleRecord | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: lifecycleKey(releaseId), ConsistentRead: true }));
    return result.Item ? toRecord(result.Item as LifecycleItem) : undefined;
  }

  async hold(releaseId: string, hold: Hold, now: Date): Promise<LifecycleRecord> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: lifecycleKey(releaseId),
          UpdateExpression: 'SET #type = :type, releaseId = :id, #state = :held, holdKind = :kind, holdUntil = :until, updatedAt = :now',
          // Only a new or still-held release is (re)scheduled: public and withdrawn are final.
          ConditionExpression: 'attribute_not_exists(pk) OR #state = :held',
          ExpressionAttributeNames: { '#type': 'type', '#state': 'state' },
          ExpressionAttributeValues: { ':type': 'lifecycle', ':id': releaseId, ':held': 'held', ':kind': hold.kind, ':until': hold.until, ':now': now.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(result.Attributes as LifecycleItem);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.get(releaseId);
      if (!current) throw error;
      return current;
    }
  }

  async lift(releaseId: string, now: Date, expectedUntil?: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: lifecycleKey(releaseId),
          UpdateExpression: 'SET #state = :public, liftedAt = :now, updatedAt = :now',
          ConditionExpression: `#state = :held${expectedUntil === undefined ? '' : ' AND holdUntil = :until'}`,
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':public': 'public',
            ':held': 'held',
            ':now': now.toISOString(),
            ...(expectedUntil === undefined ? {} : { ':until': new Date(expectedUntil).toISOString() }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async withdraw(releaseId: string, reason: string, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: lifecycleKey(releaseId),
          UpdateExpression: 'SET #type = :type, releaseId = :id, #state = :withdrawn, withdrawnAt = :now, withdrawnReason = :reason, updatedAt = :now',
          ConditionExpression: 'attribute_not_exists(pk) OR #state <> :withdrawn',
          ExpressionAttributeNames: { '#type': 'type', '#state': 'state' },
          ExpressionAttributeValues: { ':type': 'lifecycle', ':id': releaseId, ':withdrawn': 'withdrawn', ':now': now.toISOString(), ':reason': reason },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
