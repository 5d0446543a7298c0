/**
 * The root rebuild counters of the feed index (the coalescing in core/pipeline/publish.ts relies on
 * them): the DynamoDB adapter on dynalite and the in-memory fake the use-case tests use behave alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbFeedIndex } from '../../../functions/adapters/dynamodb/feed-index';
import type { FeedIndex } from '../../../functions/ports';
import { createTable, startEmulators, type Emulators } from '../../../infra/local/emulators';
import { InMemoryFeedIndex } from '../../support/fakes';

let emulators: Emulators;
let tableCount = 0;
beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(async () => {
  await emulators?.close();
});

const implementations: [string, () => Promise<FeedIndex>][] = [
  ['InMemoryFeedIndex', async () => new InMemoryFeedIndex()],
  [
    'DynamoDbFeedIndex (dynalite)',
    async () => {
      const client = new DynamoDBClient(emulators.dynamoClientConfig());
      const tableName = `root-builds-${++tableCount}`;
      await createTable(client, tableName);
      return new DynamoDbFeedIndex({ client: DynamoDBDocumentClient.from(client), tableName });
    },
  ],
];

describe.each(implementations)('root rebuild counters: %s', (_name, create) => {
  it('start at 0, number concurrent starts distinctly, and never lower completed or requested', async () => {
    const feeds = await create();
    expect(await feeds.rootBuilds()).toEqual({ started: 0, completed: 0, requested: 0 });
    const numbers = await Promise.all([feeds.startRootBuild(), feeds.startRootBuild(), feeds.startRootBuild()]);
    expect([...numbers].sort()).toEqual([1, 2, 3]);
    await feeds.completeRootBuild(3);
    await feeds.completeRootBuild(2); // a late finish of an older rebuild
    await feeds.markRootRequested(4);
    await feeds.markRootRequested(1);
    expect(await feeds.rootBuilds()).toEqual({ started: 3, completed: 3, requested: 4 });
    expect(await feeds.startRootBuild()).toBe(4);
    expect(await feeds.rootBuilds()).toEqual({ started: 4, completed: 3, requested: 4 });
  });
});
