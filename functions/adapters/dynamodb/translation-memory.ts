/**
 * Translation memory in the single DynamoDB table. One item per segment translation:
 * `pk = TM#<memoryKey>`, `sk = TM`, `text`, `expiresAt` (epoch seconds, the table's TTL), so
 * entries nobody reuses age out on their own.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ProviderError } from '../../core/errors';
import type { MemoryEntry, TranslationMemory } from '../../ports';

/** BatchGetItem reads at most 100 keys per call, BatchWriteItem writes at most 25 items. */
const GET_BATCH = 100;
const WRITE_BATCH = 25;
/** Unprocessed keys/items are retried this many times (with backoff) before giving up. */
const MAX_UNPROCESSED_ROUNDS = 8;

export interface DynamoDbTranslationMemoryOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Days an entry lives after it was last written; default 365. */
  ttlDays?: number;
  /** Injected for tests. */
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export function translationMemoryKey(key: string): { pk: string; sk: string } {
  return { pk: `TM#${key}`, sk: 'TM' };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export class DynamoDbTranslationMemory implements TranslationMemory {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly ttlSeconds: number;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(opts: DynamoDbTranslationMemoryOptions) {
    this.client = opts.client;
    this.tableName = opts.tableName;
    this.ttlSeconds = Math.round((opts.ttlDays ?? 365) * 86_400);
    this.now = opts.now ?? (() => new Date());
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async lookup(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unique = [...new Set(keys)];
    for (const batch of chunk(unique, GET_BATCH)) {
      let pending: Record<string, unknown>[] = batch.map(translationMemoryKey);
      for (let round = 0; pending.length > 0; round++) {
        if (round >= MAX_UNPROCESSED_ROUNDS) {
          throw new ProviderError('MEMORY_UNAVAILABLE', `translation memory: ${pending.length} keys still unprocessed after ${round} BatchGetItem rounds`);
        }
        if (round > 0) await this.sleep(backoff(round));
        const output = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ProjectionExpression: 'pk, #text', ExpressionAttributeNames: { '#text': 'text' } } },
          }),
        );
        for (const item of output.Responses?.[this.tableName] ?? []) {
          const pk = item.pk;
          const text = item.text;
          if (typeof pk === 'string' && typeof text === 'string') found.set(pk.slice(3), text);
        }
        pending = (output.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return found;
  }

  async store(entries: readonly MemoryEntry[]): Promise<void> {
    const expiresAt = Math.floor(this.now().getTime() / 1000) + this.ttlSeconds;
    // One write per key: BatchWriteItem rejects a batch naming the same key twice.
    const byKey = new Map(entries.map((e) => [e.key, e.text]));
    const requests = [...byKey].map(([key, text]) => ({ PutRequest: { Item: { ...translationMemoryKey(key), text, expiresAt } } }));
    for (const batch of chunk(requests, WRITE_BATCH)) {
      let pending: unknown[] = batch;
      for (let round = 0; pending.length > 0; round++) {
        if (round >= MAX_UNPROCESSED_ROUNDS) {
          throw new ProviderError('MEMORY_UNAVAILABLE', `translation memory: ${pending.length} items still unprocessed after ${round} BatchWriteItem rounds`);
        }
        if (round > 0) await this.sleep(backoff(round));
        const output = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }));
        pending = output.UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }
}

/** Full jitter, 50 ms doubling, capped at 2 s: AWS's advice for unprocessed batch items. */
function backoff(round: number): number {
  return Math.floor(Math.random() * Math.min(2_000, 50 * 2 ** round));
}
