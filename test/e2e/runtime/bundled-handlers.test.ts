/**
 * The built Lambda assets on the runtime they are deployed to. Each handler is bundled exactly as
 * the CDK function construct bundles it (bench/cold-start.ts shares the construct's settings),
 * then the local stack runs the whole pipeline with every stage invoking that bundle in a child
 * process of the given Node.js — Node.js 24 as in Lambda, and Node.js 20 as on this machine —
 * on real-shaped SQS events, against the emulators.
 *
 * The picture path on Lambda's own architecture: the ingest asset as deployed (sharp with its
 * linux-arm64 libvips) runs on Node.js 24 for linux-arm64 under qemu-user, handles a release with
 * a logo, and the renditions it wrote are read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import { bundleHandler } from '../../../bench/cold-start';
import { elfMachine, LAMBDA_ARM64 } from '../../../infra/constructs/function-bundle';
import { startLocalStack, type Stage } from '../../../infra/local/stack';
import type { SqsHandler } from '../../../infra/local/runner';
import { lambdaArm64NodeCommand, lambdaNodeBinary, LAMBDA_NODE_VERSION } from '../../support/node-runtime';

const repo = new URL('../../../', import.meta.url).pathname;

/** The Lambda entry point folder of each stage of the local stack. */
const ENTRY: Readonly<Record<Stage, string>> = { ingest: 'ingest', translate: 'translate', publish: 'publish', deliver: 'deliver', lifecycle: 'lifecycle' };

/**
 * A warm Lambda container in a child process: imports the bundle once, then handles one event
 * at a time. Requests and answers travel on file descriptor 3, so the handlers' own logs on
 * stdout stay logs.
 */
const HOST = `
import { createInterface } from 'node:readline';
import { createWriteStream } from 'node:fs';
const out = createWriteStream(null, { fd: 3 });
const module = await import(process.argv[2]);
out.write(JSON.stringify({ ready: process.version }) + '\\n');
for await (const line of createInterface({ input: process.stdin })) {
  const { id, event, context } = JSON.parse(line);
  const deadline = context.deadline;
  const ctx = { ...context, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()), done() {}, fail() {}, succeed() {} };
  try {
    out.write(JSON.stringify({ id, result: (await module.handler(event, ctx)) ?? null }) + '\\n');
  } catch (error) {
    out.write(JSON.stringify({ id, error: String(error && error.stack || error) }) + '\\n');
  }
}
`;

class BundleHost {
  private child?: ChildProcess;
  private ready?: Promise<string>;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private queue: Promise<unknown> = Promise.resolve();
  version?: string;
  invocations = 0;
  /** The stack's handler environment (`LocalStack.environment`), set once the stack runs: the Lambda environment the bundle reads. */
  environment: Record<string, string> = {};

  /** `node`: the Node.js binary, or a command that runs one (qemu-user with an arm64 binary). */
  constructor(
    private readonly node: string | readonly string[],
    private readonly hostFile: string,
    private readonly bundle: string,
    readonly log: string[],
  ) {}

  /** Started on the first invocation, with the stack's handler environment as its Lambda environment. */
  private start(): Promise<string> {
    const [command, ...args] = typeof this.node === 'string' ? [this.node] : this.node;
    const child = spawn(command!, [...args, this.hostFile, this.bundle], { env: { ...process.env, ...this.environment }, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => {
        const error = new Error(`bundle host ${this.bundle} exited with ${code}: ${this.log.join('').slice(-2000)}`);
        reject(error);
        for (const pending of this.waiting.values()) pending.reject(error);
      });
      createInterface({ input: child.stdio[3] as NodeJS.ReadableStream }).on('line', (line) => {
        const message = JSON.parse(line) as { ready?: string; id?: number; result?: unknown; error?: string };
        if (message.ready) {
          this.version = message.ready;
          resolve(message.ready);
          return;
        }
        const pending = this.waiting.get(message.id!);
        this.waiting.delete(message.id!);
        if (message.error) pending?.reject(new Error(message.error));
        else pending?.resolve(message.result);
      });
    });
  }

  /** One event at a time, as one Lambda execution environment handles them. */
  invoke: SqsHandler = (event: SQSEvent, context: Context) => {
    const run = async () => {
      await (this.ready ??= this.start());
      this.invocations++;
      const id = this.next++;
      const answer = new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
      const { getRemainingTimeInMillis, done, fail, succeed, ...plain } = context;
      this.child!.stdin!.write(`${JSON.stringify({ id, event, context: { ...plain, deadline: Date.now() + getRemainingTimeInMillis() } })}\n`);
      // biome-ignore lint/suspicious/noConfusingVoidType: a Lambda handler may return a batch response or nothing.
      return (await answer) as SQSBatchResponse | void;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  };

  stop(): void {
    this.child?.kill('SIGKILL');
  }
}

describe('the bundled handlers as deployed', () => {
  const work = mkdtempSync(join(tmpdir(), 'polywire-bundles-'));
  const hostFile = join(work, 'host.mjs');
  const bundles = new Map<string, string>();
  let node24: string;
  let arm64Ingest: string;

  beforeAll(async () => {
    node24 = lambdaNodeBinary();
    writeFileSync(hostFile, HOST);
    process.chdir(repo);
    for (const folder of new Set(Object.values(ENTRY))) bundles.set(folder, (await bundleHandler(folder, work)).file);
    arm64Ingest = (await bundleHandler('ingest', join(work, 'linux-arm64'), undefined, LAMBDA_ARM64)).file;
  }, 600_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  for (const runtime of ['lambda', 'tooling'] as const) {
    it(`run the pipeline from upload to published pages on Node.js ${runtime === 'lambda' ? LAMBDA_NODE_VERSION : process.versions.node}`, async () => {
      const node = runtime === 'lambda' ? node24 : process.execPath;
      const log: string[] = [];
      const hosts = Object.fromEntries((Object.keys(ENTRY) as Stage[]).map((stage) => [stage, new BundleHost(node, hostFile, bundles.get(ENTRY[stage])!, log)])) as Record<Stage, BundleHost>;
      const stack = await startLocalStack({
        languages: ['en', 'de', 'ar'],
        handlers: Object.fromEntries(Object.entries(hosts).map(([stage, host]) => [stage, host.invoke])),
        maxReceiveCount: 2,
        backoffMs: () => 200,
      });
      for (const host of Object.values(hosts)) host.environment = stack.environment;
      try {
        await stack.s3.send(new PutObjectCommand({ Bucket: stack.emulators.buckets.uploads, Key: 'incoming/rimal-energy-ar-2026.txt', Body: readFileSync(join(repo, 'seeds/rimal-energy-ar-2026.txt')) }));
        await stack.whenIdle();
        const page = async (key: string) => {
          const got = await stack.s3.send(new GetObjectCommand({ Bucket: stack.emulators.buckets.distribution, Key: key }));
          return got.Body!.transformToString();
        };
        for (const lang of ['ar', 'en', 'de']) {
          expect(await page(`${lang}/releases/rimal-energy-ar-2026.html`), lang).toContain(`<html lang="${lang}"`);
        }
        expect(JSON.parse(await page('de/feed.json')).items).toHaveLength(1);
        expect(stack.deadLetters.list()).toEqual([]);
        expect(hosts.ingest.version).toBe(runtime === 'lambda' ? `v${LAMBDA_NODE_VERSION}` : process.version);
        for (const stage of ['ingest', 'translate', 'publish'] as const) expect(hosts[stage].invocations, stage).toBeGreaterThan(0);
      } finally {
        await stack.close();
        for (const host of Object.values(hosts)) host.stop();
      }
    }, 300_000);
  }

  it(`run the picture path of the deployed ingest asset on linux-arm64 (Node.js ${LAMBDA_NODE_VERSION} under qemu-user)`, async () => {
    const asset = join(arm64Ingest, '..');
    const binary = join(asset, 'node_modules', '@img', 'sharp-linux-arm64', 'lib', `sharp-linux-arm64-${JSON.parse(readFileSync(join(asset, 'node_modules', 'sharp', 'package.json'), 'utf8')).version}.node`);
    expect(elfMachine(binary)).toBe('arm64');
    const arm64 = lambdaArm64NodeCommand();
    const log: string[] = [];
    const hosts = Object.fromEntries(
      (Object.keys(ENTRY) as Stage[]).map((stage) => [stage, stage === 'ingest' ? new BundleHost(arm64, hostFile, arm64Ingest, log) : new BundleHost(node24, hostFile, bundles.get(ENTRY[stage])!, log)]),
    ) as Record<Stage, BundleHost>;
    const stack = await startLocalStack({
      languages: ['en', 'de'],
      handlers: Object.fromEntries(Object.entries(hosts).map(([stage, host]) => [stage, host.invoke])),
      maxReceiveCount: 2,
      backoffMs: () => 200,
    });
    for (const host of Object.values(hosts)) host.environment = stack.environment;
    try {
      // The seed's logo is a PNG inside the Markdown (a data: URI).
      await stack.s3.send(
        new PutObjectCommand({ Bucket: stack.emulators.buckets.uploads, Key: 'incoming/acme-robotics-en-2026-q3-results.md', Body: readFileSync(join(repo, 'seeds/acme-robotics-en-2026-q3-results.md')) }),
      );
      await stack.whenIdle();
      expect(hosts.ingest.version).toBe(`v${LAMBDA_NODE_VERSION}`);
      expect(stack.deadLetters.list()).toEqual([]);
      const listed = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.emulators.buckets.distribution, Prefix: 'media/' }));
      const keys = (listed.Contents ?? []).map((object) => object.Key!);
      expect(keys.length, log.join('').slice(-2000)).toBeGreaterThan(0);
      for (const key of keys) {
        const got = await stack.s3.send(new GetObjectCommand({ Bucket: stack.emulators.buckets.distribution, Key: key }));
        const metadata = await sharp(await got.Body!.transformToByteArray()).metadata();
        expect(metadata.width, key).toBeGreaterThan(0);
        expect(metadata.exif, key).toBeUndefined();
      }
      const page = await stack.s3.send(new GetObjectCommand({ Bucket: stack.emulators.buckets.distribution, Key: 'en/releases/acme-robotics-en-2026-q3-results.html' }));
      expect(await page.Body!.transformToString()).toMatch(/<img src="\.\.\/\.\.\/media\/[0-9a-f]{64}\//);
      expect(log.join('')).not.toMatch(/picture processor \(sharp\/libvips\) is not available/);
    } finally {
      await stack.close();
      for (const host of Object.values(hosts)) host.stop();
    }
  }, 600_000);
});
