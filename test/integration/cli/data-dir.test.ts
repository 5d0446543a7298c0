/**
 * Every command that reads the local stack's data acts on the folder given with --data-dir, never
 * on `./.polywire`: the CLI runs as a child process in a folder that holds a decoy `.polywire`
 * (its own dead letters, and a stack file of a "running" stack whose endpoints answer nothing).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbReleaseRepository } from '../../../functions/adapters/dynamodb/release-repository';
import { DynamoDbSubscriptionStore } from '../../../functions/adapters/dynamodb/subscriptions';
import { DeadLetterStore, type DeadLetter } from '../../../infra/local/dead-letters';
import { queueJournalFile } from '../../../infra/local/saved-queues';
import { startLocalStack, type LocalStack } from '../../../infra/local/stack';
import { writeStackFile } from '../../../infra/local/stack-file';

const cli = fileURLToPath(new URL('../../../bin/polywire.mjs', import.meta.url));
const QUEUE = 'polywire-publish.fifo';

function letter(messageId: string): DeadLetter {
  return {
    queue: QUEUE,
    messageId,
    body: JSON.stringify({ kind: 'variant', releaseId: messageId, version: 1, language: 'de' }),
    groupId: 'de',
    deduplicationId: `${messageId}-dedup`,
    receiveCount: 5,
    sentAt: '2026-11-26T09:00:00.000Z',
    deadLetteredAt: '2026-11-26T09:00:05.000Z',
    functionName: 'polywire-publish',
    lastError: 'Error: test',
  };
}

describe('polywire --data-dir with a decoy ./.polywire in the working folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'polywire-data-dir-'));
  const cwd = join(root, 'work');
  const decoy = join(cwd, '.polywire');
  /** Non-default folders, outside the working folder: one with a stopped stack, one running. */
  const stopped = join(root, 'stopped-data');
  const running = join(root, 'running-data');
  let stack: LocalStack;

  function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    // Only what Node and the CLI need: no emulator endpoints or table name in the environment,
    // so the folder is the only way to the data.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root, AWS_EC2_METADATA_DISABLED: 'true' };
    return new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], { cwd, env, timeout: 90_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr });
      });
    });
  }

  const decoyLetters = () =>
    new DeadLetterStore(join(decoy, 'dlq'))
      .list()
      .map((l) => l.messageId)
      .sort();
  const stoppedLetters = () =>
    new DeadLetterStore(join(stopped, 'dlq'))
      .list()
      .map((l) => l.messageId)
      .sort();

  beforeAll(async () => {
    mkdirSync(cwd, { recursive: true });
    for (const id of ['decoy-1', 'decoy-2']) new DeadLetterStore(join(decoy, 'dlq')).add(letter(id));
    for (const id of ['mine-1', 'mine-2', 'mine-3']) new DeadLetterStore(join(stopped, 'dlq')).add(letter(id));
    // A decoy stack that looks alive (this process) but whose endpoints answer nothing.
    const dead = 'http://127.0.0.1:9';
    writeStackFile(decoy, {
      pid: process.pid,
      s3Endpoint: dead,
      dynamoEndpoint: dead,
      sqsEndpoint: dead,
      siteUrl: dead,
      tableName: 'decoy-table',
      buckets: { uploads: 'decoy-uploads', distribution: 'decoy-distribution' },
      environment: { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
    });

    const noop = async () => undefined;
    stack = await startLocalStack({ dataDir: running, handlers: { ingest: noop, translate: noop, publish: noop, deliver: noop }, port: 0 });
    const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(stack.emulators.dynamoClientConfig()));
    const repository = new DynamoDbReleaseRepository({ client: dynamo, tableName: stack.emulators.tableName });
    await repository.advanceRelease(
      {
        releaseId: 'only-in-running-data',
        latestVersion: 1,
        latestSha256: 'a'.repeat(64),
        sourceLanguage: 'en',
        headline: 'Only in the running folder',
        createdAt: '2026-11-26T09:00:00.000Z',
        updatedAt: '2026-11-26T09:00:00.000Z',
      },
      undefined,
    );
    await new DynamoDbSubscriptionStore({ client: dynamo, tableName: stack.emulators.tableName }).create({
      id: 'sub_0123456789abcdef',
      url: 'https://hooks.example.com/polywire',
      secret: `whsec_${Buffer.alloc(24, 7).toString('base64')}`,
      status: 'active',
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.close(1000);
    rmSync(root, { recursive: true, force: true });
  });

  it('dlq lists the given folder’s dead letters', async () => {
    const result = await run('dlq', '--data-dir', stopped, '--json');
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as DeadLetter[]).map((l) => l.messageId).sort()).toEqual(['mine-1', 'mine-2', 'mine-3']);
  }, 90_000);

  it('dlq redrive --data-dir (after the subcommand) moves the given folder’s dead letters, and only those', async () => {
    const result = await run('dlq', 'redrive', 'mine-1', '--data-dir', stopped, '--queue', QUEUE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('1 message(s) redriven (queued; they run when the stack starts)');
    expect(stoppedLetters()).toEqual(['mine-2', 'mine-3']);
    expect(readFileSync(queueJournalFile(stopped, QUEUE), 'utf8')).toContain('mine-1');
    expect(decoyLetters()).toEqual(['decoy-1', 'decoy-2']);
    expect(existsSync(join(decoy, 'sqs'))).toBe(false);
  }, 90_000);

  it('dlq purge --data-dir deletes the given folder’s dead letters and leaves ./.polywire’s alone', async () => {
    const result = await run('dlq', 'purge', '--data-dir', stopped);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('2 dead letter(s) deleted');
    expect(stoppedLetters()).toEqual([]);
    expect(decoyLetters()).toEqual(['decoy-1', 'decoy-2']);
  }, 90_000);

  it('status --data-dir reads the table of the stack running on that folder', async () => {
    const result = await run('status', '--data-dir', running, '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { releases: { releaseId: string }[] };
    expect(report.releases.map((r) => r.releaseId)).toEqual(['only-in-running-data']);
  }, 90_000);

  it('subscribe --data-dir manages the subscriptions of the stack running on that folder', async () => {
    const result = await run('subscribe', '--list', '--data-dir', running);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('sub_0123456789abcdef');
    expect(result.stdout).toContain('https://hooks.example.com/polywire');

    const none = await run('subscribe', '--list', '--data-dir', stopped);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`no running local stack with data in ${stopped}`);
  }, 90_000);
});
