/**
 * The two DynamoDB idioms every adapter on the single table repeats: telling a lost conditional
 * write from a real failure, and reading every page of a Query.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * Whether a write failed only because its condition did not hold. Matches by name too: the error
 * class of a second copy of the SDK (or of an emulator's response) is not the imported one.
 */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error instanceof Error && error.name === 'ConditionalCheckFailedException');
}

/**
 * Runs a Query to its end, following `LastEvaluatedKey` (a page stops at 1 MB, so a partition
 * can need several), and returns every item in order.
 *
 * @example
 * const items = await queryAllPages(client, {
 *   TableName: 'polywire',
 *   KeyConditionExpression: 'pk = :pk',
 *   ExpressionAttributeValues: { ':pk': 'REL#acme' },
 * });
 */
export async function queryAllPages(client: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
