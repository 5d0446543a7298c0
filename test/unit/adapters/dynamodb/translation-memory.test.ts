import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbTranslationMemory } from '../../../../functions/adapters/dynamodb/translation-memory';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }));
const ddb = mockClient(DynamoDBDocumentClient);
const now = () => new Date('2026-11-26T10:00:00Z');
const sleep = async () => {};

beforeEach(() => ddb.reset());

describe('DynamoDbTranslationMemory', () => {
  it('writes TM items with a TTL in batches of at most 25, retrying unprocessed items', async () => {
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { polywire: [{ PutRequest: { Item: { pk: 'TM#k0', sk: 'TM', text: 't0', expiresAt: 1 } } }] } })
      .resolves({});
    const memory = new DynamoDbTranslationMemory({ client: documentClient, tableName: 'polywire', ttlDays: 30, now, sleep });
    const entries = Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, text: `t${i}` }));
    await memory.store([...entries, { key: 'k0', text: 't0' }]);
    const calls = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!.polywire!);
    expect(calls.map((c) => c.length)).toEqual([25, 1, 25, 10]);
    expect(calls[0]![0]).toEqual({ PutRequest: { Item: { pk: 'TM#k0', sk: 'TM', text: 't0', expiresAt: Date.parse('2026-11-26T10:00:00Z') / 1000 + 30 * 86_400 } } });
  });

  it('reads in batches of at most 100 keys, retrying unprocessed keys', async () => {
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<{ pk: string }> }> }) => {
      const keys = input.RequestItems.polywire!.Keys;
      const [first, ...rest] = keys;
      // Answer the first key, leave the others unprocessed once (only on the first call).
      const unprocessed = ddb.commandCalls(BatchGetCommand).length === 1 ? rest : [];
      const answered = unprocessed.length > 0 ? [first!] : keys;
      return {
        Responses: { polywire: answered.filter((k) => k.pk !== 'TM#missing').map((k) => ({ pk: k.pk, text: `text of ${k.pk.slice(3)}` })) },
        ...(unprocessed.length > 0 ? { UnprocessedKeys: { polywire: { Keys: unprocessed } } } : {}),
      };
    });
    const memory = new DynamoDbTranslationMemory({ client: documentClient, tableName: 'polywire', now, sleep });
    const keys = [...Array.from({ length: 150 }, (_, i) => `k${i}`), 'missing', 'k1'];
    const found = await memory.lookup(keys);
    expect(found.size).toBe(150);
    expect(found.get('k149')).toBe('text of k149');
    expect(found.has('missing')).toBe(false);
    expect(ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.polywire!.Keys!.length)).toEqual([100, 99, 51]);
  });

  it('gives up with a ProviderError when DynamoDB keeps items unprocessed', async () => {
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: { polywire: [{ PutRequest: { Item: { pk: 'TM#a', sk: 'TM' } } }] } });
    const memory = new DynamoDbTranslationMemory({ client: documentClient, tableName: 'polywire', now, sleep });
    await expect(memory.store([{ key: 'a', text: 'b' }])).rejects.toMatchObject({ code: 'MEMORY_UNAVAILABLE', retryable: true });
  });
});
