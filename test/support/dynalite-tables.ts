/**
 * Contract tests run each adapter against dynalite: one emulator per test file, a fresh table per
 * implementation instance so that cases never see each other's items.
 */
import { afterAll, beforeAll } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTable, startEmulators, type Emulators } from '../../infra/local/emulators';

/** Starts the emulators for this file; the returned function creates a new table and its client. */
export function useDynaliteTables(prefix: string): () => Promise<{ client: DynamoDBDocumentClient; tableName: string }> {
  let emulators: Emulators | undefined;
  let tableCount = 0;
  beforeAll(async () => {
    emulators = await startEmulators();
  });
  afterAll(async () => {
    await emulators?.close();
  });
  return async () => {
    if (!emulators) throw new Error('the emulators start in beforeAll: create tables inside tests');
    const client = new DynamoDBClient(emulators.dynamoClientConfig());
    const tableName = `${prefix}-${++tableCount}`;
    await createTable(client, tableName);
    return { client: DynamoDBDocumentClient.from(client), tableName };
  };
}
