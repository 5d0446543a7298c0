import { describe, expect, it } from 'vitest';
import { type PolicyStatement, iamActionsFor, isGranted, renderResource, ungrantedEntries } from '../../support/iam-evidence';
import { evidenceEntries } from '../../support/sdk-commands';

const uploadsArn = { 'Fn::ImportValue': 'polywire-storage-UploadsBucketArn' };
const tableArn = { 'Fn::ImportValue': 'polywire-storage-TableArn' };
const under = (arn: object, suffix: string) => ({ 'Fn::Join': ['', [arn, suffix]] });

/** A role's statements as the pipeline stack synthesizes them (test double of a template). */
const statements: PolicyStatement[] = [
  { Effect: 'Allow', Action: 's3:GetObject', Resource: [under(uploadsArn, '/incoming/*')] },
  { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: tableArn },
  { Effect: 'Allow', Action: 'dynamodb:Query', Resource: under(tableArn, '/index/gsi1') },
  { Effect: 'Allow', Action: ['sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['PublishQueue2776B484', 'Arn'] } },
];

describe('IAM evidence', () => {
  it('maps recorded commands to the IAM actions they need', () => {
    expect(iamActionsFor('s3:PutObject')).toEqual(['s3:PutObject']);
    expect(iamActionsFor('dynamodb:Query')).toEqual(['dynamodb:Query']);
    expect(iamActionsFor('sqs:SendMessageBatch')).toEqual(['sqs:SendMessage']);
    expect(iamActionsFor('s3:HeadObject')).toEqual(['s3:GetObject']);
    expect(iamActionsFor('s3:CopyObject')).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(() => iamActionsFor('dynamodb:TransactWriteItems')).toThrow(/items/);
  });

  it('records a command by its operation and the logical name of its bucket, table, index or queue', () => {
    const names = { 'polywire-uploads-local': 'uploads', 'polywire-local': 'table' };
    expect(evidenceEntries({ service: 's3', command: 'PutObjectCommand', input: { Bucket: 'polywire-uploads-local', Key: 'a' } }, names)).toEqual(['s3:PutObject uploads']);
    expect(evidenceEntries({ service: 'dynamodb', command: 'QueryCommand', input: { TableName: 'polywire-local', IndexName: 'gsi1' } }, names)).toEqual(['dynamodb:Query table/index/gsi1']);
    expect(evidenceEntries({ service: 'dynamodb', command: 'BatchGetItemCommand', input: { RequestItems: { 'polywire-local': {} } } }, names)).toEqual(['dynamodb:BatchGetItem table']);
    expect(evidenceEntries({ service: 'sqs', command: 'SendMessageBatchCommand', input: { QueueUrl: 'http://127.0.0.1:9324/000000000000/polywire-publish.fifo' } }, names)).toEqual([
      'sqs:SendMessageBatch polywire-publish.fifo',
    ]);
  });

  it('renders imports, joins and attributes of a template as text', () => {
    expect(renderResource(under(uploadsArn, '/incoming/*'))).toBe('UploadsBucketArn/incoming/*');
    expect(renderResource({ 'Fn::GetAtt': ['PublishQueue2776B484', 'Arn'] })).toBe('PublishQueue2776B484.Arn');
  });

  it('accepts commands granted on their resource', () => {
    expect(ungrantedEntries({ ingest: ['s3:GetObject uploads', 'dynamodb:UpdateItem table', 'dynamodb:Query table/index/gsi1', 'sqs:SendMessageBatch polywire-publish.fifo'] }, () => statements)).toEqual([]);
  });

  it('fails a command that is not granted, or granted on another resource', () => {
    expect(ungrantedEntries({ ingest: ['dynamodb:DeleteItem table', 's3:PutObject uploads'] }, () => statements)).toEqual([
      'ingest: dynamodb:DeleteItem table → dynamodb:DeleteItem',
      'ingest: s3:PutObject uploads → s3:PutObject',
    ]);
    // Query is granted on the index only, GetObject on the uploads bucket only.
    expect(isGranted(statements, 'dynamodb:Query', 'table')).toBe(false);
    expect(isGranted(statements, 'dynamodb:GetItem', 'table/index/gsi1')).toBe(false);
    expect(isGranted(statements, 's3:GetObject', 'distribution')).toBe(false);
    expect(isGranted(statements, 'sqs:SendMessage', 'polywire-translate')).toBe(false);
  });

  it('ignores Deny statements and honours wildcard actions', () => {
    const deny: PolicyStatement[] = [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }];
    expect(isGranted(deny, 's3:GetObject', 'uploads')).toBe(false);
    expect(isGranted([{ Effect: 'Allow', Action: 's3:Get*', Resource: uploadsArn }], 's3:GetObject', 'uploads')).toBe(true);
  });
});
