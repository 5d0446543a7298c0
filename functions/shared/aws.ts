/**
 * AWS SDK clients and the adapters built on them, created once per container at module scope.
 * No network happens here; the SDK honours `AWS_ENDPOINT_URL_S3/_DYNAMODB/_SQS`, so the local
 * stack and the integration tests reach their emulators without code changes.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDbFeedArchive } from '../adapters/dynamodb/feed-archive';
import { DynamoDbFeedIndex } from '../adapters/dynamodb/feed-index';
import { DynamoDbReleaseRepository } from '../adapters/dynamodb/release-repository';
import { S3ObjectStore } from '../adapters/s3/object-store';
import { SqsJobQueue } from '../adapters/sqs/job-queue';
import type { PipelineConfig } from '../config';

export interface AwsClients {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  sqs: SQSClient;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Builds the three clients. Path-style S3 addressing only when an endpoint override is set
 * (emulators such as s3rver need it; real S3 prefers virtual-hosted style).
 */
export function createAwsClients(tracer?: Tracer, env: Env = process.env): AwsClients {
  const s3Endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const s3 = new S3Client({ ...(s3Endpoint ? { forcePathStyle: true } : {}) });
  const dynamoBase = new DynamoDBClient({});
  const sqs = new SQSClient({});
  if (tracer) for (const client of [s3, dynamoBase, sqs]) tracer.captureAWSv3Client(client);
  const dynamo = DynamoDBDocumentClient.from(dynamoBase, { marshallOptions: { removeUndefinedValues: true } });
  return { s3, dynamo, sqs };
}

/**
 * Only the table and queue clients, for a stage that never touches a bucket (deliver): an S3
 * client it would never call costs every cold start its construction and its code.
 */
export function createTableAndQueueClients(tracer?: Tracer): Pick<AwsClients, 'dynamo' | 'sqs'> {
  const dynamoBase = new DynamoDBClient({});
  const sqs = new SQSClient({});
  if (tracer) for (const client of [dynamoBase, sqs]) tracer.captureAWSv3Client(client);
  return { dynamo: DynamoDBDocumentClient.from(dynamoBase, { marshallOptions: { removeUndefinedValues: true } }), sqs };
}

/** The pipeline's adapters over the clients, for the buckets, table and queues in `config`. */
export function createAdapters(config: PipelineConfig, clients: AwsClients) {
  return {
    uploads: new S3ObjectStore({ client: clients.s3, bucket: config.uploadsBucket }),
    distribution: new S3ObjectStore({ client: clients.s3, bucket: config.distributionBucket }),
    repository: new DynamoDbReleaseRepository({ client: clients.dynamo, tableName: config.tableName }),
    feeds: new DynamoDbFeedIndex({ client: clients.dynamo, tableName: config.tableName }),
    archive: new DynamoDbFeedArchive({ client: clients.dynamo, tableName: config.tableName }),
    translateQueue: new SqsJobQueue({ client: clients.sqs, queueUrl: config.translateQueueUrl }),
    publishQueue: new SqsJobQueue({ client: clients.sqs, queueUrl: config.publishQueueUrl }),
    webhookQueue: new SqsJobQueue({ client: clients.sqs, queueUrl: config.webhookQueueUrl }),
  };
}
