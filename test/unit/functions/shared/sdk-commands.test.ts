import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../../functions/shared/aws';
import { type SentCommand, observeCommands } from '../../../../functions/shared/sdk-commands';

const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };

/** Answers every request at the build step, before signing: no network in a unit test. */
function answerLocally(client: DynamoDBClient | S3Client) {
  (client.middlewareStack as DynamoDBClient['middlewareStack']).add(() => async () => ({ output: { $metadata: {} } as never, response: {} }), {
    step: 'build',
    name: 'answerLocally',
  });
}

describe('observeCommands', () => {
  it('reports the wire command, the IAM service prefix and the input, also through a document client', async () => {
    const sent: SentCommand[] = [];
    const base = new DynamoDBClient({ region: 'eu-central-1', credentials });
    observeCommands(base, (command) => sent.push(command));
    answerLocally(base);
    await DynamoDBDocumentClient.from(base).send(new QueryCommand({ TableName: 't', IndexName: 'gsi1', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': 1 } }));
    expect(sent).toEqual([{ service: 'dynamodb', command: 'QueryCommand', input: expect.objectContaining({ TableName: 't', IndexName: 'gsi1' }) }]);
  });

  it('is wired into the three clients of createAwsClients when asked', async () => {
    const sent: string[] = [];
    const settings = { region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } };
    const all = { s3: settings, dynamo: settings, sqs: settings };
    const clients = createAwsClients(all, { onCommand: (command) => sent.push(`${command.service}:${command.command}`) });
    answerLocally(clients.s3);
    await clients.s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })).catch(() => undefined);
    expect(sent).toEqual(['s3:PutObjectCommand']);
    expect(createAwsClients(all).s3.middlewareStack.identify().join()).not.toContain('polywireObserveCommands');
  });
});
