/**
 * The prebuilt CLI (`scripts/build-cli.mjs`, what `npm ci` builds through `prepare`) does what the
 * TypeScript does: built here into a folder of its own (so the build `bin/polywire.mjs` uses is
 * left alone), then run for its version, a subcommand's help, an error and a real command
 * (`status` against a running local stack, which loads the bundled AWS SDK), each compared with
 * the same command run from the sources through tsx.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbReleaseRepository } from '../../../functions/adapters/dynamodb/release-repository';
import { startLocalStack, type LocalStack } from '../../../infra/local/stack';

const repo = new URL('../../../', import.meta.url).pathname;
const outdir = `dist/cli-test-${process.pid}`;

function node(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: repo, timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code) : 0, stdout, stderr });
    });
  });
}
const prebuilt = (...args: string[]) => node([join(outdir, 'main.mjs'), ...args]);
const fromSources = (...args: string[]) => node(['bin/run-ts.mjs', 'cli/main.ts', ...args]);

describe('the prebuilt CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'polywire-prebuilt-'));
  let stack: LocalStack;

  beforeAll(async () => {
    const build = await node(['scripts/build-cli.mjs', '--outdir', outdir]);
    expect(build.code, build.stderr).toBe(0);
    const noop = async () => undefined;
    stack = await startLocalStack({ dataDir, port: 0, handlers: { ingest: noop, translate: noop, publish: noop, deliver: noop } });
    const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(stack.emulators.dynamoClientConfig()));
    await new DynamoDbReleaseRepository({ client: dynamo, tableName: stack.emulators.tableName }).advanceRelease(
      { releaseId: 'prebuilt-check', latestVersion: 1, latestSha256: 'b'.repeat(64), sourceLanguage: 'en', headline: 'Prebuilt check', createdAt: '2026-11-26T09:00:00.000Z', updatedAt: '2026-11-26T09:00:00.000Z' },
      undefined,
    );
  }, 180_000);

  afterAll(async () => {
    await stack?.close(1000);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(join(repo, outdir), { recursive: true, force: true });
  });

  it('lists what it was built from, so bin/polywire.mjs can tell when it is stale', () => {
    const { inputs } = JSON.parse(readFileSync(join(repo, outdir, 'inputs.json'), 'utf8')) as { inputs: string[] };
    expect(inputs).toEqual(expect.arrayContaining(['cli/program.ts', 'cli/commands/status.ts', 'package.json', 'cli/commands']));
    for (const input of inputs) expect(existsSync(join(repo, input)), input).toBe(true);
  });

  it.each([[['--version']], [['subscribe', '--help']], [['dlq', 'redrive', '--bogus']], [['render', 'nope.md', '--out', '/tmp/polywire-prebuilt-nope']], [['parse', 'seeds/ondine-energie-fr-2026.md', '--json']]])(
    '%j: the same output and exit code as from the sources',
    async (args) => {
      const [built, sources] = await Promise.all([prebuilt(...args), fromSources(...args)]);
      expect(built).toEqual(sources);
    },
  );

  it('status reads the running stack through its stack file', async () => {
    const result = await prebuilt('status', '--data-dir', dataDir, '--json');
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { releases: { releaseId: string }[] }).releases.map((r) => r.releaseId)).toEqual(['prebuilt-check']);
  });
});
