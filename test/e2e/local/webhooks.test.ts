/**
 * Local webhooks as a user runs them: `polywire start` in one process, then
 * `polywire subscribe http://127.0.0.1:<port>/hook --allow-loopback` in another (which finds the
 * stack through its `stack.json`, with no AWS settings in its environment), then an upload. The
 * receiver on 127.0.0.1 must get a `release.published` event for every language, each one signed
 * as Standard Webhooks says, checked with the `standardwebhooks` library and the secret the
 * subscribe command printed. No `WEBHOOK_ALLOW_LOOPBACK` or other switch on the stack: the
 * subscription's own `--allow-loopback` is what lets the local stack deliver to loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { DEFAULT_TARGET_LANGUAGES } from '../../../functions/core/languages';
import type { LocalStackInfo } from '../../../infra/local/stack-file';
import { repo, spawnStart, until, uploadReleases, waitForStack, killAndRemove, type StartedProcess, closeReceiver } from '../../support/start-process';

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
}

/** The CLI as a second terminal runs it: no emulator endpoints, table or region in its environment. */
function polywire(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && name !== 'TABLE_NAME' && name !== 'WEBHOOK_ALLOW_LOOPBACK'));
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/polywire.mjs', ...args], { cwd: repo, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code) : 0, stdout, stderr });
    });
  });
}

describe('local webhooks: a loopback receiver subscribed with --allow-loopback', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'polywire-e2e-webhooks-'));
  const work = mkdtempSync(join(tmpdir(), 'polywire-e2e-webhooks-files-'));
  const received: Received[] = [];
  let receiver: Server;
  let started: StartedProcess;
  let stack: LocalStackInfo;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.url === '/hook') received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    started = spawnStart(['--data-dir', dataDir, '--port', '0', '--no-seeds']);
    stack = await waitForStack(dataDir, started.child.pid, () => (started.child.exitCode !== null ? `polywire start exited early (${started.child.exitCode}):\n${started.output()}` : undefined), 90_000);
  }, 120_000);

  afterAll(async () => {
    await closeReceiver(receiver);
    await killAndRemove(started, dataDir, work);
  });

  it('refuses a loopback URL without --allow-loopback, naming the rule and the fix', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const result = await polywire('subscribe', `http://127.0.0.1:${port}/hook`, '--data-dir', dataDir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('only on the local stack and only if subscribed with --allow-loopback');
    expect(result.stderr).toContain('add --allow-loopback');
  });

  it('delivers signed release.published events for every language to the 127.0.0.1 receiver', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const subscribed = await polywire('subscribe', `http://127.0.0.1:${port}/hook`, '--allow-loopback', '--data-dir', dataDir);
    expect(subscribed.stderr).toBe('');
    expect(subscribed.code).toBe(0);
    const secret = /secret:\s+(whsec_\S+)/.exec(subscribed.stdout)?.[1];
    expect(secret).toBeDefined();
    const id = /id:\s+(sub_\S+)/.exec(subscribed.stdout)?.[1];

    const file = join(work, 'harbour-ferry.md');
    writeFileSync(file, '---\nid: harbour-ferry\nlanguage: en\n---\n# Harbour opens an electric ferry line\n\nThe harbour opened an electric ferry line today, with six crossings an hour and chargers at both piers.\n');
    await uploadReleases(stack, [file]);

    const published = () =>
      received
        .map((r) => ({ ...r, payload: JSON.parse(r.body) as { type: string; data: { releaseId: string; language: string } } }))
        .filter((r) => r.payload.type === 'release.published' && r.payload.data.releaseId === 'harbour-ferry');
    const languages = () => new Set(published().map((r) => r.payload.data.language));
    await until('release.published in every language at the receiver', () => (DEFAULT_TARGET_LANGUAGES.every((l) => languages().has(l)) ? true : undefined), 240_000, 500).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; got ${[...languages()].join(', ') || 'nothing'}\n${started.output().slice(-3000)}`);
    });

    const webhook = new Webhook(secret!);
    for (const r of published()) {
      const headers = {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      };
      expect(webhook.verify(r.body, headers)).toMatchObject({ type: 'release.published', data: { releaseId: 'harbour-ferry' } });
    }
    // A tampered body fails the same check: the verification above is not vacuous.
    const first = published()[0]!;
    expect(() =>
      webhook.verify(first.body.replace('harbour-ferry', 'harbour-ferrx'), {
        'webhook-id': String(first.headers['webhook-id']),
        'webhook-timestamp': String(first.headers['webhook-timestamp']),
        'webhook-signature': String(first.headers['webhook-signature']),
      }),
    ).toThrow();

    // The subscription is still active (no delivery was refused), as a second terminal lists it.
    const list = await polywire('subscribe', '--list', '--data-dir', dataDir);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(id!);
    expect(list.stdout).toMatch(/active/);
    expect(list.stdout).not.toMatch(/disabled/);
  }, 300_000);
});
