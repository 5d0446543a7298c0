import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { isConditionFailure, queryAllPages } from '../../../../functions/adapters/dynamodb/conditions';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }));
const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => ddb.reset());

describe('isConditionFailure', () => {
  it('recognises a lost condition by class and by name, and nothing else', () => {
    expect(isConditionFailure(new ConditionalCheckFailedException({ message: 'lost', $metadata: {} }))).toBe(true);
    expect(isConditionFailure(Object.assign(new Error('lost'), { name: 'ConditionalCheckFailedException' }))).toBe(true);
    expect(isConditionFailure(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }))).toBe(false);
    expect(isConditionFailure('ConditionalCheckFailedException')).toBe(false);
  });
});

describe('queryAllPages', () => {
  it('follows LastEvaluatedKey to the last page and keeps the order', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ sk: 'V#1' }, { sk: 'V#2' }], LastEvaluatedKey: { pk: 'REL#a', sk: 'V#2' } })
      .resolvesOnce({ Items: [], LastEvaluatedKey: { pk: 'REL#a', sk: 'V#2' } })
      .resolvesOnce({ Items: [{ sk: 'V#3' }] });
    const items = await queryAllPages(documentClient, {
      TableName: 'polywire',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'REL#a' },
    });
    expect(items.map((i) => i.sk)).toEqual(['V#1', 'V#2', 'V#3']);
    const inputs = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.ExclusiveStartKey)).toEqual([undefined, { pk: 'REL#a', sk: 'V#2' }, { pk: 'REL#a', sk: 'V#2' }]);
    expect(inputs.every((i) => i.TableName === 'polywire')).toBe(true);
  });
});
