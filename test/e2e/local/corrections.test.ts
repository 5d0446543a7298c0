/**
 * A restart never reverts a correction: v1 dropped into the inbox, v2 of the same key uploaded
 * with the AWS CLI, then two restarts; the newest version stays v2's and no version is added.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { LocalStackInfo } from '../../../infra/local/stack-file';
import { allPublished, pipelineState, s3For, seed, sleep, spawnStart, until, waitForStack, type StartedProcess } from '../../support/start-process';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';

describe('restarts keep corrections', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'polywire-corrections-'));
  const processes: StartedProcess[] = [];
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const args = ['--data-dir', dataDir, '--port', '0', '--no-seeds', '--languages', 'en,fr'];
  const key = 'incoming/blinken.txt';
  const start = async () => {
    const p = spawnStart(args);
    processes.push(p);
    const stack = await waitForStack(dataDir, p.child.pid, () => (p.child.exitCode !== null ? `start exited early:\n${p.output()}` : undefined));
    return { p, stack };
  };
  const stop = async (p: StartedProcess) => {
    p.child.kill('SIGINT');
    expect(await p.exited, p.output()).toBe(0);
  };
  const release = async (stack: LocalStackInfo) => {
    const snapshot = await pipelineState(stack, [key]);
    return allPublished(snapshot, [key]) ? snapshot.releases[0] : undefined;
  };
  const stored = async (stack: LocalStackInfo) => {
    const s3 = s3For(stack);
    try {
      return await (await s3.send(new GetObjectCommand({ Bucket: stack.buckets.uploads, Key: key }))).Body!.transformToString();
    } finally {
      s3.destroy();
    }
  };

  it('keeps v2 (uploaded with the AWS CLI) as the newest version across two restarts', async () => {
    const v1 = readFileSync(seed('seaprwire-de-2024-blinken.txt'), 'utf8');
    const v2 = v1.replace(/^[^\n]+/, (headline) => `${headline} (korrigiert)`);
    const inbox = join(dataDir, 'inbox');
    mkdirSync(inbox, { recursive: true });
    writeFileSync(join(inbox, 'blinken.txt'), v1);

    const first = await start();
    const published = await until('v1 published', () => release(first.stack), 180_000);
    expect(published.version).toBe(1);
    expect(existsSync(join(inbox, 'blinken.txt'))).toBe(false);
    expect(readFileSync(join(inbox, 'uploaded', 'blinken.txt'), 'utf8')).toBe(v1);

    const file = join(dataDir, 'blinken.txt');
    writeFileSync(file, v2);
    await run(AWS, ['--endpoint-url', first.stack.s3Endpoint, 's3', 'cp', file, `s3://${first.stack.buckets.uploads}/${key}`], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_PAGER: '' },
    });
    const corrected = await until(
      'v2 published',
      async () => {
        const row = await release(first.stack);
        return row && row.version === 2 ? row : undefined;
      },
      180_000,
    );
    expect(corrected.headline).toContain('(korrigiert)');
    await stop(first.p);

    for (const round of [1, 2]) {
      const again = await start();
      // Time for anything a start would upload to be ingested and published.
      await sleep(5000);
      await until(`restart ${round} idle`, () => release(again.stack), 60_000);
      const row = await release(again.stack);
      expect(row?.version, again.p.output()).toBe(2);
      expect(row?.headline).toContain('(korrigiert)');
      expect(await stored(again.stack)).toBe(v2);
      expect(again.p.output()).not.toMatch(/Drop folder: |↑ /);
      await stop(again.p);
    }
  });
});
