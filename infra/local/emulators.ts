/**
 * The embedded AWS stand-ins: s3rver for S3 and dynalite for DynamoDB, in this process, on
 * loopback. Used by `npm start` (persisted under a data folder) and by the integration and
 * end-to-end suites (in memory / a temp folder, on free ports).
 *
 * Both emulators are reached through the real AWS SDK clients, configured by `sdkEnvironment()`
 * or `s3ClientConfig()` / `dynamoClientConfig()` — handlers need no code change.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { makeS3rverWritesAtomic } from './s3rver-atomic';
import { createServer, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import crypto, { randomUUID } from 'node:crypto';
import { TABLE } from '../../functions/adapters/dynamodb/table';
import { ConfigError } from '../../functions/core/errors';
import { ensureWritableDir } from './data-dir';
import { guardS3Keys } from './s3-key-guard';

/** s3rver accepts only these credentials; dynalite accepts any, so one pair serves both. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_REGION = 'us-east-1';

export interface EmulatorOptions {
  /** Folder for persisted state (S3 objects and the DynamoDB LevelDB store). Absent: a temp folder for S3 and memory for DynamoDB. */
  dataDir?: string;
  host?: string;
  /** 0 = any free port. */
  s3Port?: number;
  dynamoPort?: number;
  buckets?: { uploads: string; distribution: string };
  tableName?: string;
}

export interface Emulators {
  s3Endpoint: string;
  dynamoEndpoint: string;
  buckets: { uploads: string; distribution: string };
  tableName: string;
  /** s3rver's in-process emitter: S3-shaped records for every write (unfiltered, keys NOT URL-encoded). */
  s3: S3rver;
  s3ClientConfig(): S3ClientConfig;
  dynamoClientConfig(): DynamoDBClientConfig;
  /** Environment for code that builds its own SDK clients (the Lambda handlers' module scope). */
  sdkEnvironment(): Record<string, string>;
  close(): Promise<void>;
}

export const DEFAULT_BUCKETS = { uploads: 'polywire-uploads', distribution: 'polywire-distribution' } as const;

/**
 * Starts both emulators and creates the buckets and the table (from the same definition the CDK
 * app uses). Idempotent on a persisted data folder: existing buckets and tables are kept.
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const host = options.host ?? '127.0.0.1';
  const buckets = options.buckets ?? DEFAULT_BUCKETS;
  const tableName = options.tableName ?? TABLE.name;
  const s3Dir = options.dataDir ? join(options.dataDir, 's3') : join(tmpdir(), `polywire-s3-${randomUUID()}`);
  const dynamoDir = options.dataDir ? join(options.dataDir, 'dynamodb') : undefined;
  for (const dir of [s3Dir, dynamoDir]) if (dir) ensureWritableDir(dir, options.dataDir);

  enableS3rverContinuationTokens();
  makeS3rverWritesAtomic();
  if (options.s3Port) await assertPortFree(host, options.s3Port, 'S3 endpoint (--s3-port)');
  if (options.dynamoPort) await assertPortFree(host, options.dynamoPort, 'DynamoDB endpoint (--dynamodb-port)');

  const s3 = new S3rver({
    address: host,
    port: options.s3Port ?? 0,
    silent: true,
    directory: s3Dir,
    // Temp folders are throwaway; a persisted data folder must survive a restart.
    resetOnClose: !options.dataDir,
    configureBuckets: [{ name: buckets.uploads }, { name: buckets.distribution }],
  });
  // Keys with dot segments would be written outside the bucket's folder (see s3-key-guard.ts).
  guardS3Keys(s3);
  const s3Address = await s3.run();

  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dynamoDir ? { path: dynamoDir } : {}) });
  const dynamoPort = await listen(dynamo, host, options.dynamoPort ?? 0);

  const s3Endpoint = `http://${host}:${s3Address.port}`;
  const dynamoEndpoint = `http://${host}:${dynamoPort}`;

  const emulators: Emulators = {
    s3Endpoint,
    dynamoEndpoint,
    buckets,
    tableName,
    s3,
    s3ClientConfig: () => ({
      endpoint: s3Endpoint,
      region: LOCAL_REGION,
      credentials: { ...LOCAL_CREDENTIALS },
      forcePathStyle: true,
      // s3rver stores aws-chunked framing verbatim when the SDK streams with flexible checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    dynamoClientConfig: () => ({ endpoint: dynamoEndpoint, region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS } }),
    sdkEnvironment: () => ({
      AWS_ENDPOINT_URL_S3: s3Endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    }),
    close: async () => {
      await Promise.allSettled([s3.close(), new Promise<void>((resolve) => dynamo.close(() => resolve()))]);
    },
  };

  try {
    await createTable(new DynamoDBClient(emulators.dynamoClientConfig()), tableName);
  } catch (error) {
    await emulators.close();
    throw error;
  }
  return emulators;
}

/** Creates the table from the shared definition unless it exists. dynalite has no TTL API: expiry is a cloud-only concern. */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const attributes = new Map<string, 'S'>();
  const add = (key: { name: string; type: 'S' }) => attributes.set(key.name, key.type);
  add(TABLE.partitionKey);
  add(TABLE.sortKey);
  for (const gsi of TABLE.globalSecondaryIndexes) {
    add(gsi.partitionKey);
    add(gsi.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
      KeySchema: [
        { AttributeName: TABLE.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE.globalSecondaryIndexes.map((gsi) => ({
        IndexName: gsi.indexName,
        KeySchema: [
          { AttributeName: gsi.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: gsi.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
}

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 (Node 17+)
 * no longer offers: every truncated listing (more than 1,000 keys, or MaxKeys) fails with a 500.
 * Triple DES with the key repeated three times is the same cipher as single DES and is still
 * available, so s3rver's `des` calls are mapped onto it. Idempotent.
 */
export function enableS3rverContinuationTokens(): void {
  const patched = crypto as typeof crypto & { polywireDesPatched?: boolean };
  if (patched.polywireDesPatched) return;
  const createCipheriv = crypto.createCipheriv;
  const createDecipheriv = crypto.createDecipheriv;
  const tripled = (key: crypto.CipherKey) => Buffer.concat([key as Buffer, key as Buffer, key as Buffer]);
  patched.createCipheriv = ((algorithm: string, key: crypto.CipherKey, iv: crypto.BinaryLike | null, options?: never) =>
    algorithm === 'des' ? createCipheriv('des-ede3-cbc', tripled(key), iv, options) : createCipheriv(algorithm, key, iv, options)) as typeof crypto.createCipheriv;
  patched.createDecipheriv = ((algorithm: string, key: crypto.CipherKey, iv: crypto.BinaryLike | null, options?: never) =>
    algorithm === 'des' ? createDecipheriv('des-ede3-cbc', tripled(key), iv, options) : createDecipheriv(algorithm, key, iv, options)) as typeof crypto.createDecipheriv;
  patched.polywireDesPatched = true;
}

/** Fails with a clear message when a port is taken (s3rver itself would crash on EADDRINUSE). */
export async function assertPortFree(host: string, port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ConfigError(
          error.code === 'EADDRINUSE' ? `port ${port} on ${host} for the ${what} is already in use: stop the other process or choose another port` : `cannot listen on ${host}:${port} for the ${what}: ${error.message}`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
