/**
 * `FeedArchive` on DynamoDB (the single table; no transactions, which dynalite lacks). Per feed:
 * slot items `ARCH#<feed>` / `N#<number>` holding the entry, and pointer items `R#<releaseId>` →
 * number. Appending claims the next slot with a conditional put (two writers cannot take one
 * number: the loser re-reads the tail and tries the next), then writes the pointer. Slots are
 * therefore contiguous, and a slot below the highest is always complete, which is what lets an
 * archive page be written once. Every operation reads a bounded tail, never the whole archive.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FeedEntry } from '../../core/variant';
import type { FeedArchive } from '../../ports';
import { isConditionFailure } from './conditions';
import { itemKeys } from './keys';

export interface DynamoDbFeedArchiveOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/**
 * Slots read back when appending: a release whose slot was claimed by a run that crashed before
 * writing its pointer is found among them (a retry comes long before this many newer releases).
 */
const TAIL = 50;
/** Claims tried before giving up (each loss means another writer appended meanwhile). */
const MAX_CLAIMS = 25;

interface Slot {
  number: number;
  releaseId: string;
  entry: FeedEntry;
  /** A duplicate claim that lost to the release's pointer: kept as a placeholder, never shown. */
  void?: boolean;
}

export class DynamoDbFeedArchive implements FeedArchive {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDbFeedArchiveOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async append(feed: string, entry: FeedEntry, next?: number): Promise<number> {
    // The pointer and the tail in parallel: one round trip for the common cases (numbered already, or not).
    // With the caller's `next`, no tail: it read the newest numbers itself.
    const [existing, firstTail] = await Promise.all([this.pointer(feed, entry.releaseId), next === undefined ? this.tail(feed, TAIL) : undefined]);
    if (existing !== undefined) return existing;
    for (let attempt = 0; attempt < MAX_CLAIMS; attempt++) {
      let number: number;
      if (attempt === 0 && next !== undefined) {
        // Never past the end: the size only grows, so `next` − 1 is taken (slots stay contiguous);
        // if `next` is taken too, the condition fails and the tail is read.
        number = next;
      } else {
        const tail = (attempt === 0 ? firstTail : undefined) ?? (await this.tail(feed, TAIL));
        const claimed = tail.find((slot) => slot.releaseId === entry.releaseId && !slot.void);
        if (claimed) return this.point(feed, entry.releaseId, claimed.number);
        number = (tail[0]?.number ?? 0) + 1;
      }
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...itemKeys.archiveSlot(feed, number), type: 'archive-slot', number, releaseId: entry.releaseId, entry },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) continue;
        throw error;
      }
      return this.point(feed, entry.releaseId, number);
    }
    throw new Error(`feed archive ${feed}: could not claim a number in ${MAX_CLAIMS} attempts`);
  }

  async size(feed: string): Promise<number> {
    return (await this.tail(feed, 1))[0]?.number ?? 0;
  }

  async recent(feed: string, count: number): Promise<{ size: number; from: number; entries: { number: number; entry: FeedEntry }[] }> {
    // Slots are contiguous: the newest slots read are the newest numbers.
    const tail = await this.tail(feed, count);
    const size = tail[0]?.number ?? 0;
    return {
      size,
      from: tail.at(-1)?.number ?? size + 1,
      entries: tail
        .filter((slot) => !slot.void)
        .reverse()
        .map((slot) => ({ number: slot.number, entry: slot.entry })),
    };
  }

  async range(feed: string, from: number, to: number): Promise<FeedEntry[]> {
    const slots: Slot[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': itemKeys.archivePartition(feed),
            ':from': itemKeys.archiveSlot(feed, from).sk,
            ':to': itemKeys.archiveSlot(feed, to).sk,
          },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      slots.push(...((result.Items ?? []) as Slot[]));
      start = result.LastEvaluatedKey;
    } while (start);
    return slots.filter((slot) => !slot.void).map((slot) => slot.entry);
  }

  private async pointer(feed: string, releaseId: string): Promise<number | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.archivePointer(feed, releaseId), ConsistentRead: true }));
    return result.Item?.number as number | undefined;
  }

  /** Newest slots first. */
  private async tail(feed: string, limit: number): Promise<Slot[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :slot)',
        ExpressionAttributeValues: { ':pk': itemKeys.archivePartition(feed), ':slot': 'N#' },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []) as Slot[];
  }

  /**
   * Records `number` as the release's. When a concurrent duplicate recorded another number first,
   * this slot becomes a void placeholder (it cannot be removed: the numbers after it must stay
   * where they are) and the recorded number wins.
   */
  private async point(feed: string, releaseId: string, number: number): Promise<number> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.archivePointer(feed, releaseId), type: 'archive-pointer', number },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return number;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const recorded = (await this.pointer(feed, releaseId))!;
    if (recorded !== number) {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.archiveSlot(feed, number),
          UpdateExpression: 'SET #void = :true',
          ExpressionAttributeNames: { '#void': 'void' },
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    }
    return recorded;
  }
}
