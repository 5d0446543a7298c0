/**
 * `FeedIndex` on DynamoDB: one item per release per feed, sorted by first publication, so the
 * newest 50 are one Query and feeds never read the archive.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FeedEntry } from '../../core/variant';
import type { FeedIndex, RootBuilds } from '../../ports';
import { isConditionFailure } from './conditions';
import { itemKeys } from './keys';

export interface DynamoDbFeedIndexOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

export class DynamoDbFeedIndex implements FeedIndex {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDbFeedIndexOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async upsert(feed: string, entry: FeedEntry): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.feedEntry(feed, entry.publishedAt, entry.releaseId), type: 'feed-entry', version: entry.version, entry },
          ConditionExpression: 'attribute_not_exists(pk) OR version <= :version',
          ExpressionAttributeValues: { ':version': entry.version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async remove(feed: string, entry: { releaseId: string; publishedAt: string }, belowVersion: number): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: itemKeys.feedEntry(feed, entry.publishedAt, entry.releaseId),
          ConditionExpression: 'version < :version',
          ExpressionAttributeValues: { ':version': belowVersion },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async latest(feed: string, limit: number): Promise<FeedEntry[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': itemKeys.feedPartition(feed) },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map((item) => item.entry as FeedEntry);
  }

  async after(feed: string, from: { releaseId: string; publishedAt: string } | undefined): Promise<FeedEntry[]> {
    const entries: FeedEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: from ? 'pk = :pk AND sk > :from' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': itemKeys.feedPartition(feed), ...(from ? { ':from': itemKeys.feedEntry(feed, from.publishedAt, from.releaseId).sk } : {}) },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      entries.push(...(result.Items ?? []).map((item) => item.entry as FeedEntry));
      start = result.LastEvaluatedKey;
    } while (start);
    return entries;
  }

  async get(feed: string, entry: { releaseId: string; publishedAt: string }): Promise<FeedEntry | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.feedEntry(feed, entry.publishedAt, entry.releaseId), ConsistentRead: true }));
    return result.Item?.entry as FeedEntry | undefined;
  }

  async rootBuilds(): Promise<RootBuilds> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.rootBuild(), ConsistentRead: true }));
    const item = result.Item ?? {};
    const number = (value: unknown) => (typeof value === 'number' ? value : 0);
    return { started: number(item.started), completed: number(item.completed), requested: number(item.requested) };
  }

  async startRootBuild(): Promise<number> {
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: itemKeys.rootBuild(),
        UpdateExpression: 'SET #type = :type ADD started :one',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'root-build', ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return result.Attributes?.started as number;
  }

  async completeRootBuild(generation: number): Promise<void> {
    await this.raise('completed', generation);
  }

  async markRootRequested(generation: number): Promise<void> {
    await this.raise('requested', generation);
  }

  /** Sets a counter of the root build item to `value` unless it is already as high. */
  private async raise(attribute: 'completed' | 'requested', value: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.rootBuild(),
          UpdateExpression: 'SET #attribute = :value, #type = :type',
          ConditionExpression: 'attribute_not_exists(#attribute) OR #attribute < :value',
          ExpressionAttributeNames: { '#attribute': attribute, '#type': 'type' },
          ExpressionAttributeValues: { ':value': value, ':type': 'root-build' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
