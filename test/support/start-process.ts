/**
 * Helpers for end-to-end tests that run `polywire start` as a separate process: start it, wait
 * for its stack file, upload releases with the real S3 client, and read the pipeline's state
 * from its DynamoDB the way `polywire status` does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { basename, join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { releaseRepository, snapshotPipeline, type PipelineSnapshot } from '../../infra/local/progress';
import { readStackFile, type LocalStackInfo } from '../../infra/local/stack-file';

export const repo = new URL('../../', import.meta.url).pathname;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 240_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

export interface StartedProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `polywire start` without a terminal (plain log lines). */
export function spawnStart(args: string[], env: Record<string, string> = {}): StartedProcess {
  const child = spawn(process.execPath, ['bin/polywire.mjs', 'start', ...args], {
    cwd: repo,
    env: { ...process.env, CI: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Waits for the stack file written by the process with this pid. */
export function waitForStack(dataDir: string, pid: number | undefined, failed: () => string | undefined, timeoutMs = 90_000): Promise<LocalStackInfo> {
  return until(
    'the stack file',
    () => {
      const problem = failed();
      if (problem) throw new Error(problem);
      let info: LocalStackInfo | undefined;
      try {
        info = readStackFile(dataDir);
      } catch {
        // Caught while being written (stack.json is not written atomically): read it again.
        return undefined;
      }
      return info && info.pid === pid ? info : undefined;
    },
    timeoutMs,
  );
}

export function s3For(stack: LocalStackInfo): S3Client {
  return new S3Client({
    endpoint: stack.s3Endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Uploads release files to `incoming/` with PutObject; returns their keys. */
export async function uploadReleases(stack: LocalStackInfo, files: string[]): Promise<string[]> {
  const s3 = s3For(stack);
  try {
    const keys: string[] = [];
    for (const file of files) {
      const key = `incoming/${basename(file)}`;
      await s3.send(new PutObjectCommand({ Bucket: stack.buckets.uploads, Key: key, Body: readFileSync(file) }));
      keys.push(key);
    }
    return keys;
  } finally {
    s3.destroy();
  }
}

/** The pipeline state of these uploads, read from the running stack's DynamoDB. */
export async function pipelineState(stack: LocalStackInfo, keys: string[]): Promise<PipelineSnapshot> {
  const repository = releaseRepository({ endpoint: stack.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }, stack.tableName);
  return snapshotPipeline(repository, { sourceKeys: keys, since: '9999' });
}

/**
 * Whether every upload became a release whose every planned language is published, or held for
 * an editor's review by the QA policy (a final state too: the seed `lindqvist-bahn-de-2026.json`
 * carries an abridged human English translation, which QA holds). Nothing else counts as done.
 */
export function allPublished(snapshot: PipelineSnapshot, keys: string[]): boolean {
  return (
    snapshot.waiting.length === 0 &&
    snapshot.rejected.length === 0 &&
    snapshot.releases.length === keys.length &&
    snapshot.releases.every((r) => r.languages.length > 0 && r.languages.every((l) => l.status === 'published' || l.status === 'held'))
  );
}

export const seed = (name: string) => join(repo, 'seeds', name);

/** The stack file, or undefined while it is missing or half-written. */
export function tryReadStack(dataDir: string): LocalStackInfo | undefined {
  try {
    return readStackFile(dataDir);
  } catch {
    return undefined;
  }
}

/** Ends a started stack that a test left running (after a failure): SIGKILL, then wait for its exit. */
export async function killIfRunning(started: StartedProcess | undefined): Promise<void> {
  if (started && started.child.exitCode === null) {
    started.child.kill('SIGKILL');
    await started.exited;
  }
}

/** A test file's teardown: the stack killed if still running, then its folders removed. */
export async function killAndRemove(started: StartedProcess | undefined, ...folders: string[]): Promise<void> {
  await killIfRunning(started);
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
}

/** Closes a test's webhook receiver, dropping kept-alive connections so close() can finish. */
export async function closeReceiver(receiver: Server | undefined): Promise<void> {
  receiver?.closeAllConnections();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
}
