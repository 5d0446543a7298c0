/**
 * AWS SDK clients and the adapters built on them, created once per container. No network happens
 * here; in Lambda the SDK's defaults apply (it also honours `AWS_ENDPOINT_URL_*`, which the
 * bundled-handler tests use); the local stack passes its emulators' endpoints explicitly.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbReleaseRepository } from '../adapters/dynamodb/release-repository';
import { S3ObjectStore } from '../adapters/s3/object-store';
import { SqsJobQueue } from '../adapters/sqs/job-queue';
import type { BaseConfig } from '../base-config';
import { type CommandObserver, observeCommands } from './sdk-commands';

export interface AwsClients {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  sqs: SQSClient;
}

/** The clients of a stage that never touches a bucket. */
export type TableAndQueueClients = Pick<AwsClients, 'dynamo' | 'sqs'>;

/** Client settings; empty in Lambda (the SDK's defaults), endpoints and credentials on the local stack. */
export interface AwsClientSettings {
  s3?: S3ClientConfig;
  dynamo?: DynamoDBClientConfig;
  sqs?: SQSClientConfig;
}

export interface AwsClientOptions {
  /** Told of every command the clients send (the integration tests derive IAM from it). */
  onCommand?: CommandObserver;
}

/**
 * Builds the three clients. Path-style S3 addressing only when the configuration says local
 * (emulators such as s3rver need it; real S3 prefers virtual-hosted style).
 *
 * @example
 * createAwsClients({ s3: { forcePathStyle: config.local } })
 */
export function createAwsClients(settings: AwsClientSettings = {}, options: AwsClientOptions = {}): AwsClients {
  const s3 = new S3Client({ ...settings.s3 });
  const dynamoBase = new DynamoDBClient({ ...settings.dynamo });
  const sqs = new SQSClient({ ...settings.sqs });
  if (options.onCommand) for (const client of [s3, dynamoBase, sqs]) observeCommands(client, options.onCommand);
  const dynamo = DynamoDBDocumentClient.from(dynamoBase, { marshallOptions: { removeUndefinedValues: true } });
  return { s3, dynamo, sqs };
}

/**
 * Only the table and queue clients, for a stage that never touches a bucket (deliver): an S3
 * client it would never call costs every cold start its construction and its code.
 */
export function createTableAndQueueClients(settings: Pick<AwsClientSettings, 'dynamo' | 'sqs'> = {}): TableAndQueueClients {
  const dynamoBase = new DynamoDBClient({ ...settings.dynamo });
  const sqs = new SQSClient({ ...settings.sqs });
  return { dynamo: DynamoDBDocumentClient.from(dynamoBase, { marshallOptions: { removeUndefinedValues: true } }), sqs };
}

/**
 * The pipeline's adapters over the clients, for the buckets, table and queues in `config`. The feed
 * index and archive are publish's alone: its stage builds them, so the other bundles do not carry them.
 */
export function createAdapters(config: BaseConfig, clients: AwsClients) {
  return {
    uploads: new S3ObjectStore({ client: clients.s3, bucket: config.uploadsBucket }),
    distribution: new S3ObjectStore({ client: clients.s3, bucket: config.distributionBucket }),
    repository: new DynamoDbReleaseRepository({ client: clients.dynamo, tableName: config.tableName }),
    translateQueue: new SqsJobQueue({ client: clients.sqs, queueUrl: config.translateQueueUrl }),
    bulkTranslateQueue: config.translateBulkQueueUrl === undefined ? undefined : new SqsJobQueue({ client: clients.sqs, queueUrl: config.translateBulkQueueUrl }),
    publishQueue: new SqsJobQueue({ client: clients.sqs, queueUrl: config.publishQueueUrl }),
    webhookQueue: new SqsJobQueue({ client: clients.sqs, queueUrl: config.webhookQueueUrl }),
  };
}
